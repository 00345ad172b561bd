#!/bin/sh
# docker-drain.sh out|in: take a Docker container out of its load balancer
# before hs-capture's snapshots, and put it back afterwards:
#
#	hs-capture --docker "$ID" --before-after 3m --out-dir snaps/ \
#	    --before-cmd 'docker-drain.sh out' --after-cmd 'docker-drain.sh in'
#
# A heap snapshot stops the process for a while (seconds for a big heap):
# requests sent to it meanwhile wait or time out.  This script marks the
# container as draining by creating a file in it that its health check
# looks for, and waits until the load balancer has noticed.  The health
# check, for example in the Dockerfile:
#
#	HEALTHCHECK --interval=2s CMD test ! -e /tmp/hs-drain && \
#	    wget -qO- http://127.0.0.1:3000/health || exit 1
#
# Settings from the environment:
#	HS_DOCKER	the container (hs-capture --docker sets it)
#	HS_DRAIN_FILE	the file (default /tmp/hs-drain)
#	HS_DRAIN_WAIT	seconds to wait after draining (default 5)
set -eu
container=${HS_DOCKER:?no container: set HS_DOCKER}
file=${HS_DRAIN_FILE:-/tmp/hs-drain}
case ${1:-} in
out)
	docker exec "$container" node -e \
	    'require("fs").writeFileSync(process.argv[1], "")' "$file"
	sleep "${HS_DRAIN_WAIT:-5}"
	;;
in)
	docker exec "$container" node -e \
	    'require("fs").rmSync(process.argv[1], { force: true })' "$file"
	;;
*)
	echo "usage: docker-drain.sh out|in" >&2
	exit 2
	;;
esac

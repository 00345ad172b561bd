#!/bin/sh
# k8s-drain.sh out|in: take a Kubernetes pod out of its Service's endpoints
# before hs-capture's snapshots, and put it back afterwards:
#
#	hs-capture --k8s "$POD" --namespace prod --before-after 3m \
#	    --out-dir snaps/ \
#	    --before-cmd 'k8s-drain.sh out' --after-cmd 'k8s-drain.sh in'
#
# The pod is marked as draining by a file in it that its readiness probe
# looks for; when the probe fails, Kubernetes removes the pod from the
# Service's endpoints (without restarting it: that is the liveness
# probe's job), and the script waits until the pod is no longer ready.
# The probe, in the pod's spec:
#
#	readinessProbe:
#	  exec:
#	    command: [sh, -c, "test ! -e /tmp/hs-drain"]
#	  periodSeconds: 2
#
# (or an httpGet probe whose handler checks the file).  Settings from the
# environment:
#	HS_K8S_POD		the pod
#	HS_K8S_NAMESPACE	its namespace (default: kubectl's)
#	HS_K8S_CONTAINER	the container in the pod (default: kubectl's)
#	(hs-capture --k8s, --namespace and --container set them)
#	HS_DRAIN_FILE	the file (default /tmp/hs-drain)
#	HS_DRAIN_TIMEOUT	how long to wait for the pod to be unready (60s)
set -eu
pod=${HS_K8S_POD:?no pod: set HS_K8S_POD}
file=${HS_DRAIN_FILE:-/tmp/hs-drain}
ns=${HS_K8S_NAMESPACE:+-n $HS_K8S_NAMESPACE}
ctr=${HS_K8S_CONTAINER:+-c $HS_K8S_CONTAINER}
case ${1:-} in
out)
	# shellcheck disable=SC2086
	kubectl exec $ns $ctr "$pod" -- node -e \
	    'require("fs").writeFileSync(process.argv[1], "")' "$file"
	# shellcheck disable=SC2086
	kubectl wait $ns --for=condition=Ready=false \
	    --timeout="${HS_DRAIN_TIMEOUT:-60s}" "pod/$pod"
	;;
in)
	# shellcheck disable=SC2086
	kubectl exec $ns $ctr "$pod" -- node -e \
	    'require("fs").rmSync(process.argv[1], { force: true })' "$file"
	;;
*)
	echo "usage: k8s-drain.sh out|in" >&2
	exit 2
	;;
esac

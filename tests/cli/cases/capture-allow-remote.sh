# --pid refuses an inspector that listens on a non-loopback address (the
# DevTools protocol has no authentication) unless --allow-remote: a node in
# a network namespace of its own, its inspector on 10.66.0.1, reached
# through --exec 'nsenter --net=...'
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd unshare nsenter ip
unshare --net true 2>/dev/null ||
    { echo "network namespaces are not permitted here" >&2; exit 77; }
nb=$(node_bin 20)
cd "$TMP" || exit 1
unshare --net sh -c 'ip link set lo up && ip addr add 10.66.0.1/32 dev lo &&
    exec "$@"' sh "$nb" --inspect=10.66.0.1:0 "$PLANTED" 66 2>remote.err &
rpid=$!
PIDS="$PIDS $rpid"
wait_for remote.err '^planted '
ns="nsenter --net=/proc/$rpid/ns/net"
hs-capture -q --exec "$ns" --pid $rpid -o remote.heapsnapshot 2>&1 |
    sed "s/process $rpid:/process PID:/"
ls -A | grep -v 'err$'
hs-capture -q --exec "$ns" --pid $rpid --allow-remote -o remote.heapsnapshot
echo "--allow-remote: exit $?"
planted remote.heapsnapshot

# --exec crosses an isolation boundary: Node processes in their own network
# namespace (unshare --net) cannot be reached by TCP from here, but
# hs-capture --exec 'nsenter --net=/proc/PID/ns/net' reaches them through
# their namespace with its own node: one whose inspector is open, and one
# whose inspector it opens with SIGUSR1 from inside.
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd unshare nsenter ip
unshare --net true 2>/dev/null ||
    { echo "network namespaces are not permitted here" >&2; exit 77; }
nsenter --net=/proc/self/ns/net true 2>/dev/null ||
    { echo "nsenter is not permitted here" >&2; exit 77; }
nb=$(node_bin 20)
cd "$TMP" || exit 1
# isolated NAME ARGS...: node ARGS in a new network namespace, its stderr
# in NAME.err; sets NS_PID.
isolated() {
	name=$1
	shift
	unshare --net sh -c 'ip link set lo up && exec "$@"' sh "$nb" "$@" \
	    2>"$name.err" &
	NS_PID=$!
	PIDS="$PIDS $NS_PID"
	wait_for "$name.err" '^planted '
}
isolated open --inspect=127.0.0.1:0 "$PLANTED" 1234
open=$NS_PID
port=$(sed -n 's|^Debugger listening on ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' open.err)
[ "$(readlink /proc/$open/ns/net)" != "$(readlink /proc/self/ns/net)" ] &&
    echo "the target is in another network namespace"
# A plain TCP connection from here cannot reach its inspector.
node -e 'require("net").connect(+process.argv[1], "127.0.0.1")
    .on("connect", () => { console.log("reached"); process.exit(1); })
    .on("error", e => console.log("plain TCP: " + e.code));' "$port"
hs-capture -q --inspect 127.0.0.1:$port -o direct.heapsnapshot 2>/dev/null
echo "hs-capture --inspect: exit $?"
# Through its namespace it can.
hs-capture -q --exec "nsenter --net=/proc/$open/ns/net" --pid $open \
    -o open.heapsnapshot
echo "--exec, inspector open: exit $?"
planted open.heapsnapshot
hs-capture -q --exec "nsenter --net=/proc/$open/ns/net" \
    --inspect 127.0.0.1:$port -o open2.heapsnapshot
echo "--exec --inspect: exit $?"
planted open2.heapsnapshot
# One without an open inspector: SIGUSR1 and the port, found from inside.
isolated closed --inspect-port=0 "$PLANTED" 4321
closed=$NS_PID
hs-capture -q --exec "nsenter --net=/proc/$closed/ns/net" --pid $closed \
    --close -o closed.heapsnapshot
echo "--exec, inspector opened by SIGUSR1: exit $?"
planted closed.heapsnapshot
echo "mode $(mode closed.heapsnapshot)"
# Failures inside are one line, exit 2, no file.
hs-capture -q --exec "nsenter --net=/proc/$closed/ns/net" --pid 999999999 \
    -o none.heapsnapshot 2>&1
echo "no such process inside: exit $?"
hs-capture -q --exec "false" -o none.heapsnapshot 2>&1
echo "a failing prefix: exit $?"
ls -A | grep -v 'err$'

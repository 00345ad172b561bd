# IPv6: an inspector on [::1] is captured by address and found by --pid;
# an inspector on a wildcard address is reached on loopback
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
nb=$(node_bin 20)
cd "$TMP" || exit 1
# start NAME ADDRESS: node with --inspect=ADDRESS:0; sets NPID, NPORT.
start() {
	"$nb" --inspect="$2:0" "$PLANTED" 55 2>"$1.err" &
	NPID=$!
	PIDS="$PIDS $NPID"
	wait_for "$1.err" '^planted '
	NPORT=$(sed -n 's|^Debugger listening on ws://.*:\([0-9]*\)/.*|\1|p' "$1.err")
}
start v6 '[::1]'
hs-capture -q --inspect "[::1]:$NPORT" -o v6.heapsnapshot
echo "[::1] by address: exit $?"
planted v6.heapsnapshot
hs-capture -q --pid $NPID -o v6pid.heapsnapshot
echo "[::1] by --pid: exit $?"
planted v6pid.heapsnapshot
start any 0.0.0.0
hs-capture -q --pid $NPID -o any.heapsnapshot
echo "0.0.0.0 by --pid: exit $?"
planted any.heapsnapshot

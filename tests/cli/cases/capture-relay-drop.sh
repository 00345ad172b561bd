# the connection drops half-way through the snapshot (the --exec relay is
# killed): hs-capture exits 2 with one line and leaves no file
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node pgrep
start_planted "$(node_bin 20)" 10 60
cd "$TMP" || exit 1
# --exec env: the relay is this machine's node, run by /bin/sh, a child
# of hs-capture (sh may exec it or run it as its own child).
hs-capture -q --exec env --pid $NODE_PID -o out.heapsnapshot 2>capture.err &
cap=$!
PIDS="$PIDS $cap"
wait_tmp_data
relay=$(pgrep -P $cap)
[ -n "$relay" ] || { echo "no relay process"; exit 1; }
# The shell first: killed after its child, it could live long enough to
# report the child's death ("Killed") on hs-capture's stderr.
kids=$(pgrep -P "$relay")
kill -9 $relay $kids
wait $cap
echo "exit $?"
sed "s/:$PORT:/:PORT:/" capture.err
echo "left: $(ls -A | grep -c -v 'err$')"

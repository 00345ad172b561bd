# the target dies half-way through the snapshot: hs-capture exits 2 with
# one line, and leaves neither the file nor its temporary
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
start_planted "$(node_bin 20)" 10 60
cd "$TMP" || exit 1
hs-capture -q --inspect 127.0.0.1:$PORT -o out.heapsnapshot 2>capture.err &
cap=$!
PIDS="$PIDS $cap"
# Wait until snapshot bytes are in the temporary file, then kill the target.
wait_tmp_data
kill -9 $NODE_PID
wait $cap
echo "exit $?"
sed "s/:$PORT:/:PORT:/" capture.err
ls -A | grep -v '^node.err$' | grep -v '^capture.err$'
echo "left: $(ls -A | grep -c -v 'err$')"

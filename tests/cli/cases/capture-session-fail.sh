# the after-command runs even when the capture fails (the target dies
# before the "after" snapshot), when the before-command fails, and when
# the session is interrupted; each ends with exit 2 and one line, and no
# partial file is left (the complete "before" snapshot stays)
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
start_planted "$(node_bin 20)" 10
cd "$TMP" || exit 1
hs-capture -q --inspect 127.0.0.1:$PORT --out-dir a --session x \
    --before-after 3s --after-cmd 'echo after-cmd ran' >a.out 2>a.err &
cap=$!
PIDS="$PIDS $cap"
wait_for a.out 'session_x_before_'
kill -9 $NODE_PID
wait $cap
echo "target died: exit $?"
sed "s/:$PORT:/:PORT:/" a.err
grep -c after-cmd a.out
ls a/node | sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'
hs-capture -q --inspect 127.0.0.1:1 -o b.heapsnapshot \
    --before-cmd 'exit 3' --after-cmd 'echo after-cmd ran' 2>&1
echo "before-cmd failed: exit $?"
cd - >/dev/null || exit 1
start_planted "$(node_bin 20)" 10
cd "$TMP" || exit 1
hs-capture -q --inspect 127.0.0.1:$PORT --out-dir c --session y \
    --before-after 30s --after-cmd 'echo after-cmd ran' >c.out 2>c.err &
cap=$!
PIDS="$PIDS $cap"
wait_for c.out 'session_y_before_'
kill -INT $cap
wait $cap
echo "interrupted: exit $?"
cat c.err
grep -c after-cmd c.out
ls -A c/node | sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'
ls -A | grep -v 'err$' | grep -v 'out$'

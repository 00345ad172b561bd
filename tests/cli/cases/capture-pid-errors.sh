# --pid refuses, with exit 2, one line and no file: a process that does
# not exist, one that is not Node.js (and is not sent SIGUSR1, which would
# kill it), and a Node process started with --disable-sigusr1 (node 22)
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
node22=$(node_bin 22) || exit 77
cd "$TMP" || exit 1
sh -c 'exit 0' &
gone=$!
wait $gone
hs-capture --pid $gone -o out.heapsnapshot 2>err
echo "exit $?"
sed "s/: $gone$/: PID/" err
sleep 30 &
sl=$!
PIDS="$PIDS $sl"
# Until the child has run sleep (a forked shell is still "dash" before).
i=0
while [ "$(cat /proc/$sl/comm 2>/dev/null)" != sleep ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
hs-capture --pid $sl -o out.heapsnapshot 2>err
echo "exit $?"
sed "s/process $sl /process PID /" err
kill -0 $sl && echo "sleep lives"
cd - >/dev/null || exit 1
NODE_FLAGS=--disable-sigusr1 start_planted "$node22" noinspect 5
cd "$TMP" || exit 1
hs-capture --pid $NODE_PID -o out.heapsnapshot 2>err
echo "exit $?"
sed "s/process $NODE_PID /process PID /" err
kill -0 $NODE_PID && echo "node lives"
ls -A | grep -v 'err$'
hs-capture --pid 0 2>&1
hs-capture --pid 1 --inspect 127.0.0.1:1 2>&1
echo "exit $?"

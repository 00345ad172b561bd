# SIGINT or SIGTERM half-way through the snapshot: exit 2 with one line,
# neither the file nor its temporary is left, and the target lives on
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
start_planted "$(node_bin 20)" 10 60
cd "$TMP" || exit 1
for sig in INT TERM; do
	hs-capture -q --inspect 127.0.0.1:$PORT -o out.heapsnapshot 2>err &
	cap=$!
	PIDS="$PIDS $cap"
	wait_tmp_data
	kill -$sig $cap
	wait $cap
	echo "$sig: exit $?"
	sed "s/:$PORT:/:PORT:/" err
	echo "$sig: left: $(ls -A | grep -v -c 'err$')"
	kill -0 $NODE_PID && echo "$sig: the target lives"
done
# and it can be captured again
hs-capture -q --inspect 127.0.0.1:$PORT -o again.heapsnapshot
planted again.heapsnapshot

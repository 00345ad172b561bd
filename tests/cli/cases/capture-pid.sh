# hs-capture --pid opens the inspector of a Node process that has none
# (SIGUSR1, as node inspect -p does), finds the port it opened, captures,
# and says that the inspector stays open; the next capture finds it open;
# --close closes it (a connection is then refused) and the process lives
# on.  With Node 18, 20, 22 and 24 (those not installed are skipped; node
# 20 and 22 are needed).
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
node_bin 20 >/dev/null && node_bin 22 >/dev/null || exit 77
for major in 18 20 22 24; do
	nb=$( (node_bin $major) 2>/dev/null) || continue
	NODE_FLAGS=--inspect-port=0 start_planted "$nb" noinspect 1234
	cd "$TMP" || exit 1
	hs-capture -q --pid $NODE_PID -o first.heapsnapshot 2>err
	echo "node $major: exit $?"
	port=$(sed -n 's/.* stays open at 127\.0\.0\.1:\([0-9]*\) .*/\1/p' err)
	sed -e "s/process $NODE_PID/process PID/" -e "s/:$port /:PORT /" err
	planted first.heapsnapshot
	hs-capture -q --pid $NODE_PID --close -o second.heapsnapshot
	echo "node $major: --close: exit $?"
	planted second.heapsnapshot
	sleep 0.3
	hs-capture -q --inspect 127.0.0.1:$port >/dev/null 2>err
	echo "node $major: after --close: exit $?"
	sed "s/:$port:/:PORT:/" err
	kill -0 $NODE_PID && echo "node $major: the process lives"
	echo "mode $(mode first.heapsnapshot) $(mode second.heapsnapshot)"
	rm -f first.heapsnapshot second.heapsnapshot
	cd - >/dev/null || exit 1
done

# hs-capture --pid opens the inspector of a Node process that has none
# (SIGUSR1, as node inspect -p does), finds the port it opened, captures,
# and says that the inspector stays open; the next capture finds it open;
# --close closes it (a connection is then refused) and the process lives
# on.  With Node 20 and 22 (needed), and 18 and 24 where installed.
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
node_bin 20 >/dev/null && node_bin 22 >/dev/null || exit 77
# capture MAJOR NODE: the whole check on one Node major.
capture() {
	major=$1
	NODE_FLAGS=--inspect-port=0 start_planted "$2" noinspect 1234
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
}

# Node 20 and 22 are in the expected output.  Node 18 and 24, where they
# are installed, must say just what Node 20 says (so the expected output
# does not depend on what the machine has).
for major in 18 20 22 24; do
	nb=$( (node_bin $major) 2>/dev/null) || continue
	capture $major "$nb" >"$TMP/node$major.out"
done
cat "$TMP/node20.out" "$TMP/node22.out"
for major in 18 24; do
	[ -f "$TMP/node$major.out" ] || continue
	sed "s/^node $major:/node 20:/" "$TMP/node$major.out" |
	    diff "$TMP/node20.out" - >/dev/null ||
	    { echo "node $major says otherwise than node 20:"; cat "$TMP/node$major.out"; }
done

# every allocation hs-capture makes on its way to a snapshot (HS_FAIL_ALLOC
# makes the Nth fail) ends in exit 2 with one line and no file, never a
# crash or a hang, and the target is unharmed: the first 80 allocations
# (discovery, the handshake, the protocol), then every 50th up to 3000
# (the chunks), until one gets through.  Then the failures just after the
# snapshot has begun, 8 times each: Node.js 20 and 22 crash when a client
# drops the connection while they stream a snapshot (nodejs/node#64209),
# which hs-capture must never do.
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
start_planted "$(node_bin 20)" 10
cd "$TMP" || exit 1
bad=0
ok=0
n=1
while [ $n -le 3000 ] && [ $ok = 0 ]; do
	HS_FAIL_ALLOC=$n hs-capture -q --no-gc --timeout 30 \
	    --inspect 127.0.0.1:$PORT -o out.heapsnapshot 2>err
	st=$?
	[ -z "${first_mid:-}" ] && grep -q 'during the snapshot' err &&
	    first_mid=$n
	if [ $st = 0 ]; then
		ok=$((ok + 1))
		rm -f out.heapsnapshot
	elif [ $st != 2 ] || [ "$(wc -l <err)" != 1 ] ||
	    [ -n "$(ls -A | grep -v '^err$' | grep -v '^node.err$')" ]; then
		echo "HS_FAIL_ALLOC=$n: exit $st"
		cat err
		ls -A
		bad=1
	fi
	if [ $n -lt 80 ]; then n=$((n + 1)); else n=$((n + 50)); fi
done
for n in $(seq $((${first_mid:-4} - 3)) $((${first_mid:-4} + 3))); do
	for k in $(seq 8); do
		HS_FAIL_ALLOC=$n hs-capture -q --no-gc --timeout 30 \
		    --inspect 127.0.0.1:$PORT -o out.heapsnapshot 2>err
		st=$?
		[ $st = 0 ] && rm -f out.heapsnapshot
		if [ $st != 0 ] && [ $st != 2 ]; then
			echo "HS_FAIL_ALLOC=$n again: exit $st"
			bad=1
		fi
		kill -0 $NODE_PID 2>/dev/null || break 2
	done
done
echo "failures handled: $([ $bad = 0 ] && echo all || echo not all)"
[ $ok -gt 0 ] && echo "a capture got through"
kill -0 $NODE_PID && echo "the target lives"
hs-capture -q --inspect 127.0.0.1:$PORT -o last.heapsnapshot && planted last.heapsnapshot

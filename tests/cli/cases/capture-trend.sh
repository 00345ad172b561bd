# hs-capture --watch feeds hs-trend: the heap of a process that keeps what
# it allocates is a leak (hs-trend exits 1); that of a process that makes
# as much garbage and keeps none is not (its RSS may still grow while the
# young process settles, so only heap_used is asked about)
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq
PLANTED=$PWD/tests/cli/cases/data/growing.js
cd "$TMP" || exit 1
for mode in leak churn; do
	start_planted "$(node_bin 20)" noinspect $mode
	hs-capture --pid $NODE_PID --watch 200ms --duration 6s >$mode.ndjson \
	    2>$mode.err
	echo "$mode: capture exit $?, $(wc -l <$mode.ndjson | tr -d ' ') samples"
	grep -v 'inspector' $mode.err
	hs-trend --threshold 5MiB --format json $mode.ndjson >$mode.trend
	st=$?
	[ $mode = leak ] && echo "$mode: hs-trend exit $st"
	jq -r 'select(.type == "series" and .name == "heap_used") |
	    "\(.name): \(if .pattern == "leak" then "leak" else "no leak" end)"' \
	    $mode.trend
	kill -9 $NODE_PID
done

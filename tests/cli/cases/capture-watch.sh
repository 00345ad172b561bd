# --watch samples memory without snapshots, one JSON line per sample in the
# format hs-trend reads: 11 samples for --watch 100ms --duration 1s, with
# --pid (RSS from /proc); Ctrl-C ends a watch with exit 0; a target that
# dies ends it with exit 2 and one line
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq
start_planted "$(node_bin 20)" 10
cd "$TMP" || exit 1
hs-capture --pid $NODE_PID --watch 100ms --duration 1s >samples 2>err
echo "exit $?"
cat err
echo "$(wc -l <samples | tr -d ' ') samples"
# Exactly these keys in this order, numbers, and a UTC time with ms.
jq -r '[(keys_unsorted | join(",")), .type,
    (.time | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$")),
    ([.heap_used, .heap_total, .rss, .external, .array_buffers] |
	all(type == "number" and . > 0)),
    (.heap_used <= .heap_total)] | map(tostring) | join(" ")' samples |
    sort | uniq -c | sed 's/^ *//'
# The times advance.
jq -r .time samples | sort -c && echo "times in order"
# RSS is the process's VmRSS, in bytes (within what it moves in a second).
rss=$(awk '/^VmRSS:/ { print $2 * 1024 }' /proc/$NODE_PID/status)
jq -r --argjson r "$rss" 'select(.rss > $r / 2 and .rss < $r * 2) | 1' samples |
    wc -l | sed 's/^ */rss plausible: /'
hs-capture --timeout 60 --inspect 127.0.0.1:$PORT --watch 100ms >until-int \
    2>int.err &
w=$!
PIDS="$PIDS $w"
wait_for until-int sample int.err
kill -INT $w
wait $w
echo "interrupted: exit $?"
cat int.err
hs-capture --pid $NODE_PID --watch 100ms >until-death 2>death.err &
w=$!
PIDS="$PIDS $w"
wait_for until-death sample death.err
kill -9 $NODE_PID
wait $w
echo "target died: exit $?"
sed 's/:[0-9]*:/:PORT:/' death.err

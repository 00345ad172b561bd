# bad samples: one line each naming the file and the byte offset, exit 2,
# and never the input's bytes
. tests/cli/lib.sh
cd "$TMP" || exit 1
good='{"type":"sample","time":"2026-11-22T05:30:00.000Z","heap_used":100,"rss":1000}'
printf '%s\n%s\n' "$good" '{"type":"sample","time":"yesterday secret","heap_used":1}' >bad-time.ndjson
hs-trend bad-time.ndjson; echo "exit $?"
printf '%s\n%s\n' "$good" '{"type":"sample","time":"2026-11-22T05:30:01Z","heap_used":"secret"}' >bad-size.ndjson
hs-trend bad-size.ndjson; echo "exit $?"
printf '%s\n%s\n' "$good" '{"type":"sample","time":"2026-11-22T05:30:01Z"}' >no-measure.ndjson
hs-trend no-measure.ndjson; echo "exit $?"
printf '%s\n%s' "$good" "$good" >truncated.ndjson
hs-trend truncated.ndjson; echo "exit $?"
printf '%s\n{"type":"sample", secret\n' "$good" >bad-json.ndjson
hs-trend bad-json.ndjson 2>&1 | sed 's/secret/SECRET ECHOED/'
hs-trend bad-json.ndjson 2>/dev/null; echo "exit $?"
printf '%s\n%s\n' "$good" "$good" >two.ndjson
hs-trend two.ndjson; echo "exit $?"
printf '{"type":"event","what":"x"}\n' >none.ndjson
hs-trend none.ndjson; echo "exit $?"
: >empty.ndjson
hs-trend empty.ndjson; echo "exit $?"
hs-trend --format xml two.ndjson; echo "exit $?"
hs-trend; echo "exit $?"

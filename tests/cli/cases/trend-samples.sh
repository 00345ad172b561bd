# samples: extra keys and other record types are ignored, a missing
# optional measure leaves only the others, the order of lines does not
# matter, and - reads stdin; the leak's samples make a leak of heap_used
. tests/cli/lib.sh
need jq
cd "$TMP" || exit 1
s=$OLDPWD/testdata/samples
{ echo '{"type":"header","format":"hs-capture","pid":1}'
  jq -c '. + {"extra": [1, 2]}' "$s/leak.ndjson" |
      awk 'NR % 2 { print; next } { sub(/,"rss":[0-9]+/, ""); print }' | sort -r
} >mixed.ndjson
hs-trend --threshold 1MiB --format json - <mixed.ndjson >t.json
echo "exit $?"
jq -r 'select(.type == "header") | [.input, .points, .samples, .per, .leaks, .likely_source] | @tsv' t.json
jq -r 'select(.type == "series") | [.kind, .name, .pattern] | @tsv' t.json
hs-trend --threshold 1MiB --format json "$s/leak.ndjson" | jq -r 'select(.type == "series") | [.name, .pattern] | @tsv'

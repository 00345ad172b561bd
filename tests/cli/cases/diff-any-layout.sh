# summaries rewritten by other tools (members reordered, plain JSON lines)
# give the same diff: the fast reader of ids records only takes hs's own
# layout and leaves any other to the JSON parser
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple array-leak
for r in baseline target final; do
	zstd -dc "$TMP/$r.hss" |
	    jq -c 'if .type == "ids" then {self, ids, key, type} else . end' \
	    >"$TMP/$r-jq.hss"
done
hs-diff --threshold 10KB -o "$TMP/a.hsd" \
    "$TMP/baseline.hss" "$TMP/target.hss" "$TMP/final.hss" >/dev/null
hs-diff --threshold 10KB -o "$TMP/b.hsd" \
    "$TMP/baseline-jq.hss" "$TMP/target-jq.hss" "$TMP/final-jq.hss" >/dev/null
verdict "$TMP/a.hsd"
zstd -dc "$TMP/a.hsd" | jq -c 'select(.type == "class")' >"$TMP/a"
zstd -dc "$TMP/b.hsd" | jq -c 'select(.type == "class")' >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && echo "same class records"

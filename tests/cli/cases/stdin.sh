# the same records from the .zst file, the plain file, "-" and no operand
# (plain and compressed on stdin); only the header's "source" differs
. tests/cli/lib.sh
s=$(snap mixed-node22)
p=$(plain mixed-node22)
hs-summarize "$s" >"$TMP/zst.hss"
hs-summarize "$p" >"$TMP/plain.hss"
hs-summarize - <"$p" >"$TMP/dash.hss"
hs-summarize <"$p" >"$TMP/none.hss"
hs-summarize - <"$s" >"$TMP/dashz.hss"
hs-summarize <"$s" >"$TMP/nonez.hss"
records "$TMP/zst.hss" >"$TMP/want"
for f in zst plain dash none dashz nonez; do
	zstd -dc "$TMP/$f.hss" | head -n 1 | jq -c .source
	records "$TMP/$f.hss" | cmp - "$TMP/want" && echo "$f: same records"
done

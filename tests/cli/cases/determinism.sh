# the same snapshot summarized twice gives byte-identical files (to stdout
# and with -o, at two zstd levels), with and without --no-ids and --raw
. tests/cli/lib.sh
s=$(snap alloc-node22)
for opt in '' --no-ids --raw '--level 1'; do
	hs-summarize $opt "$s" >"$TMP/a" &&
	hs-summarize $opt -o "$TMP/b" "$s" &&
	cmp "$TMP/a" "$TMP/b" && echo "same: '$opt'"
done

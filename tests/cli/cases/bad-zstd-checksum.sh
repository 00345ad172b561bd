# a zstd frame whose content checksum is wrong (the last byte flipped)
. tests/cli/lib.sh
zstd -q --check -c $DATA/tiny.heapsnapshot >"$TMP/z"
n=$(wc -c <"$TMP/z")
head -c $((n - 1)) "$TMP/z" >"$TMP/in.heapsnapshot.zst"
tail -c 1 "$TMP/z" | tr '\000-\377' '\377\000-\376' >>"$TMP/in.heapsnapshot.zst"
rm "$TMP/z"
bad in.heapsnapshot.zst

# -o leaves an existing file as it was when the input is bad
. tests/cli/lib.sh
echo keep >"$TMP/out.hss"
hs-summarize -o "$TMP/out.hss" $DATA/edge-past-nodes.heapsnapshot 2>/dev/null
echo "exit $?"
cat "$TMP/out.hss"
zstd -dc "$(snap mixed-node22)" | head -c 3000000 |
    hs-summarize -o "$TMP/out.hss" 2>/dev/null
echo "exit $?"
cat "$TMP/out.hss"
ls -A "$TMP"

# -o replaces an existing file on success
. tests/cli/lib.sh
echo keep >"$TMP/out.hss"
hs-summarize -o "$TMP/out.hss" $DATA/tiny.heapsnapshot
echo "exit $?"
zstd -dc "$TMP/out.hss" | jq -r .type | uniq -c | sed 's/^ *//'
ls -A "$TMP"

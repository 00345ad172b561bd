# summaries of two processes: one warning line, the ids are not compared,
# and the rest of the diff is made (exit 0 at the default thresholds)
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
summary empty-node22
summary mixed-node22
hs-diff -q -o "$TMP/d.hsd" "$TMP/empty-node22.hss" "$TMP/mixed-node22.hss"
echo "exit $?"
zstd -dc "$TMP/d.hsd" | jq -c 'select(.type == "header") | [.same_process, .ids_used, .ids_skipped, .verdict.severity, .verdict.total_growth]'

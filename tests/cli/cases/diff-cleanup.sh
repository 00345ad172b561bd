# cleanup (no leak): with three snapshots hs-diff reports no leak and exits 0
# even with --fail-on low; TempBuffer leaks nothing (testdata/expected/triples.tsv)
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple cleanup
hs-diff -q --fail-on low --threshold 10KB -o "$TMP/triple.hsd" "$TMP/baseline.hss" "$TMP/target.hss" "$TMP/final.hss"
echo "triple: exit $?"
verdict "$TMP/triple.hsd"
leaked=$(class_figure "$TMP/triple.hsd" TempBuffer leaked)
[ "${leaked:-0}" = "$(truth cleanup TempBuffer leaked)" ] && echo "leaked objects match the ground truth (${leaked:-0})"
exit 0

# map-cache: hs-diff names CachedResponse first, with exactly the planted number of new
# objects (pair) and of leaked objects (triple), as testdata/expected/triples.tsv
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple map-cache
hs-diff -q --threshold 10KB -o "$TMP/pair.hsd" "$TMP/baseline.hss" "$TMP/target.hss"
echo "pair: exit $?"
verdict "$TMP/pair.hsd"
hs-diff -q --threshold 10KB -o "$TMP/triple.hsd" "$TMP/baseline.hss" "$TMP/target.hss" "$TMP/final.hss"
echo "triple: exit $?"
verdict "$TMP/triple.hsd"
new=$(class_figure "$TMP/pair.hsd" CachedResponse new)
leaked=$(class_figure "$TMP/triple.hsd" CachedResponse leaked)
[ "$new" = "$(truth map-cache CachedResponse new_in_target)" ] && echo "new objects match the ground truth ($new)"
[ "$leaked" = "$(truth map-cache CachedResponse leaked)" ] && echo "leaked objects match the ground truth ($leaked)"
exit 0

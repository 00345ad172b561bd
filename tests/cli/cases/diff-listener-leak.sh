# listener-leak: hs-diff names ListenerContext first, with exactly the planted number of new
# objects (pair) and of leaked objects (triple), as testdata/expected/triples.tsv
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple listener-leak
hs-diff -q --threshold 10KB -o "$TMP/pair.hsd" "$TMP/baseline.hss" "$TMP/target.hss"
echo "pair: exit $?"
verdict "$TMP/pair.hsd"
hs-diff -q --threshold 10KB -o "$TMP/triple.hsd" "$TMP/baseline.hss" "$TMP/target.hss" "$TMP/final.hss"
echo "triple: exit $?"
verdict "$TMP/triple.hsd"
new=$(class_figure "$TMP/pair.hsd" ListenerContext new)
leaked=$(class_figure "$TMP/triple.hsd" ListenerContext leaked)
[ "$new" = "$(truth listener-leak ListenerContext new_in_target)" ] && echo "new objects match the ground truth ($new)"
[ "$leaked" = "$(truth listener-leak ListenerContext leaked)" ] && echo "leaked objects match the ground truth ($leaked)"
exit 0

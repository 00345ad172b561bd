# summaries without object ids (hs-summarize --no-ids): one warning line,
# no survival, the leak still found by its line; summaries without capture
# times (snapshots renamed): growth per point, ordered by object ids
. tests/cli/lib.sh
need zstd tar jq
cd "$TMP" || exit 1
zstd -dcq "$OLDPWD/testdata/snapshots/series/leak.tar.zst" | tar -xf - || exit 1
i=0
for s in leak/*.heapsnapshot; do
	i=$((i + 1))
	hs-summarize -q --no-ids -o "noids-$i.hss" "$s" || exit 1
	cp "$s" "snap-$i.heapsnapshot"
	hs-summarize -q -o "untimed-$i.hss" "snap-$i.heapsnapshot" || exit 1
done
hs-trend --threshold 16KiB --format json noids-*.hss >a.json
echo "exit $?"
jq -r 'select(.type == "header") | [.ids_used, .ids_skipped, .per] | @tsv' a.json
jq -r 'select(.type == "series" and (.name == "SessionRecord" or .name == "(total)")) | [.name, .pattern, .confidence, has("survival")] | @tsv' a.json
hs-trend --threshold 16KiB --format json untimed-6.hss untimed-1.hss untimed-3.hss untimed-2.hss untimed-5.hss untimed-4.hss >b.json
echo "exit $?"
jq -r 'select(.type == "header") | [.ids_used, .per] | @tsv' b.json
jq -r 'select(.type == "point") | [.index, .name, .minutes] | @tsv' b.json
jq -r 'select(.type == "series" and .name == "SessionRecord") | [.pattern, .slope, .count_slope] | @tsv' b.json
hs-trend --threshold 16KiB --format text untimed-*.hss | sed -n 2p

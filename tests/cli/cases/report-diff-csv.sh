# hs-report --format csv and tsv on a diff, with --sort, --top and filters
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need zstd
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-diff -q --threshold 10KB -o pair.hsd baseline.hss target.hss
hs-report --format csv --top 4 leak.hsd | tr -d '\r' || exit 1
echo "--- tsv, pair, by delta"
hs-report --format tsv --sort delta --top 3 pair.hsd || exit 1
echo "--- filters"
hs-report --format tsv --include '^(Array|LeakedEntry|Map)$' --exclude Map leak.hsd | cut -f 1,7,10,12,13

# the text report of the array-leak diff (three snapshots, then the pair),
# from a file and from a pipe on stdin
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need zstd
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-diff -q --threshold 10KB -o pair.hsd baseline.hss target.hss
hs-report --top 3 leak.hsd || exit 1
echo "--- pair, by new objects, from a pipe"
zstd -dc pair.hsd | hs-report --top 2 --sort new || exit 1
echo "--- no leak"
hs-diff -q -o none.hsd baseline.hss baseline.hss || exit 1
hs-report --exclude . none.hsd

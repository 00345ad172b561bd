# hs-junit refuses a summary, a snapshot, a diff of a newer version, a
# truncated diff and an empty suite name, with one line and exit 2 each
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need zstd
summary empty-node22
hs-junit "$(snap empty-node22)"
echo "exit $?"
cd "$TMP" || exit 1
hs-junit empty-node22.hss
echo "exit $?"
hs-diff -q -o d.hsd empty-node22.hss empty-node22.hss
zstd -dcq d.hsd | sed '1s/"version":1,/"version":2,/' | hs-junit
echo "exit $?"
zstd -dcq d.hsd | head -c 300 | hs-junit
echo "exit $?"
hs-junit --suite-name ' ' d.hsd
echo "exit $?"
hs-junit --fail-on none d.hsd

# a summary cut short (compressed, then plain): exit 2, one line each
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need zstd
summary empty-node22
cd "$TMP" || exit 1
head -c 20000 empty-node22.hss >cut.hss
hs-diff empty-node22.hss cut.hss
echo "exit $?"
zstd -dcq empty-node22.hss | head -c 20000 >cut.jsonl
hs-diff empty-node22.hss cut.jsonl
echo "exit $?"
hs-diff empty-node22.hss /dev/null

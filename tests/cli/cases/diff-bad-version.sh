# a summary of a newer format version: exit 2, one line
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need zstd
summary empty-node22
cd "$TMP" || exit 1
zstd -dcq empty-node22.hss | sed '1s/"version":1,/"version":2,/' >v2.hss
hs-diff empty-node22.hss v2.hss

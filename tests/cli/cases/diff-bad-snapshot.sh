# a heap snapshot where a summary is expected: exit 2, a hint
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
summary empty-node22
hs-diff "$TMP/empty-node22.hss" "$(snap empty-node22)"

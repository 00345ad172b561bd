# a diff where a summary is expected: exit 2, one line
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
summary empty-node22
cd "$TMP" || exit 1
hs-diff -q -o d.hsd empty-node22.hss empty-node22.hss || exit 1
hs-diff empty-node22.hss d.hsd

# a summary compared with itself: no growth, no warning, exit 0 even with
# --fail-on low and a threshold of 0
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
summary mixed-node22
hs-diff --fail-on low --threshold 0 --top 5 -o "$TMP/self.hsd" \
    "$TMP/mixed-node22.hss" "$TMP/mixed-node22.hss"

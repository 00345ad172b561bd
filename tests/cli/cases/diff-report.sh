# the text report of a leak found with three snapshots
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
triple map-cache
cd "$TMP" || exit 1
hs-diff --threshold 10KB --top 6 -o leak.hsd baseline.hss target.hss final.hss

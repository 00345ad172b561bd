# what hs-report refuses about diffs and summaries
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-report --sort distance leak.hsd
echo "exit $?"
hs-report --sort delta final.hss
echo "exit $?"
hs-report --format html final.hss
echo "exit $?"
hs-report --sort size leak.hsd
echo "exit $?"

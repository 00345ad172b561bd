# hs-junit on the diffs of a leaking and a clean triple: valid against
# both JUnit schemas; exit 1 when a check fails, 0 with --exit-zero, and
# 0 when nothing grew
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd xmllint
SCHEMAS=$(schemas) || exit 77
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-diff -q --threshold 10KB -o self.hsd final.hss final.hss
hs-junit -o leak.xml leak.hsd
echo "leak: exit $?"
validate leak.xml
hs-junit --exit-zero --suite-name 'heap & <leaks>' leak.hsd >zero.xml
echo "exit-zero: exit $?"
validate zero.xml
hs-junit --top 0 <self.hsd >self.xml
echo "self: exit $?"
validate self.xml
grep -c '<testcase' self.xml
grep -o '<testsuite [^>]*>' zero.xml | sed 's/ hostname="[^"]*"//; s/ timestamp="[^"]*"//'

# the JUnit report of a map cache leak, as written (fixed time stamp)
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
triple map-cache
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB --top 4 -o d.hsd baseline.hss target.hss final.hss
SOURCE_DATE_EPOCH=1700000000 hs-junit -o out.xml d.hsd
echo "exit $?"
stable out.xml

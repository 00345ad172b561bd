# summaries of two processes (the leak's and the churn's) are refused with
# one line, and nothing on stdout; so are too few summaries, a mix of
# summaries and samples, and summaries from stdin
. tests/cli/lib.sh
. tests/cli/cases/data/trend-lib.sh
need zstd tar
series leak
series churn
cd "$TMP" || exit 1
set -- leak/*.hss
hs-trend --format json "$1" "$2" churn/Heap.*.0.003.hss 2>err.txt
echo "exit $?"
sed 's/Heap\.[0-9.]*hss/SUMMARY/g' err.txt
hs-trend "$1" "$2"
echo "exit $?"
hs-trend "$1" "$2" "$3" "$OLDPWD/testdata/samples/leak.ndjson" 2>&1 | sed 's|.*/testdata|testdata|'
hs-trend "$1" "$2" - <"$3"
echo "exit $?"

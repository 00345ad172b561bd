# the DuckDB example queries a directory of summaries as one table
# (skipped without node and npm, or when the npm packages cannot be had)
out=$(sh tests/cli/duckdb.sh 2>&1)
rc=$?
case $out in
skip*)	echo "$out" >&2; exit 77 ;;
esac
[ $rc -eq 0 ] || { echo "$out"; exit 1; }

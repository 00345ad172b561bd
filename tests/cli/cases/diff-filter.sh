# --include, --exclude and --top choose the classes kept
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB --include '^(Leaked|Array)' -o i.hsd baseline.hss target.hss
echo "include: exit $? $(zstd -dc i.hsd | jq -r 'select(.type == "class") | .name' | tr '\n' ' ')"
hs-diff -q --threshold 10KB --exclude 'Leaked' --top 2 -o e.hsd baseline.hss target.hss
echo "exclude: exit $? $(zstd -dc e.hsd | jq -r 'select(.type == "class") | .name' | tr '\n' ' ')"

# -o into a directory that does not exist: exit 2, one line
. tests/cli/lib.sh
hs-summarize -o "$TMP/no/such/dir/out.hss" $DATA/tiny.heapsnapshot
echo "exit $?"

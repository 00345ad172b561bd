# JSON that is not a heap snapshot
. tests/cli/lib.sh
echo '{"a":1}' >"$TMP/in.heapsnapshot"
bad in.heapsnapshot

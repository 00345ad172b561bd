# JSON that is an array, not an object
. tests/cli/lib.sh
echo '[]' >"$TMP/in.heapsnapshot"
bad in.heapsnapshot

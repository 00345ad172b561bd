# an empty JSON object
. tests/cli/lib.sh
echo '{}' >"$TMP/in.heapsnapshot"
bad in.heapsnapshot

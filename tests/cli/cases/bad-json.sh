# malformed JSON
. tests/cli/lib.sh
echo '{"snapshot": }' >"$TMP/in.heapsnapshot"
bad in.heapsnapshot

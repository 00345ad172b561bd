# a malformed snapshot (name-past-strings): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/name-past-strings.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

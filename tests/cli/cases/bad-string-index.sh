# a malformed snapshot (string-index): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/string-index.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

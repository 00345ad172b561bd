# a malformed snapshot (meta-wrong): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/meta-wrong.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

# a malformed snapshot (meta-missing): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/meta-missing.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

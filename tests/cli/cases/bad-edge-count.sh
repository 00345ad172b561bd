# a malformed snapshot (edge-count): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/edge-count.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

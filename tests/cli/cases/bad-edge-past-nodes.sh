# a malformed snapshot (edge-past-nodes): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/edge-past-nodes.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

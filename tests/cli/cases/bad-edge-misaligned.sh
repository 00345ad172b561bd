# a malformed snapshot (edge-misaligned): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/edge-misaligned.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

# a malformed snapshot (node-count): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/node-count.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

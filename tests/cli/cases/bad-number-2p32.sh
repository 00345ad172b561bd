# a malformed snapshot (number-2p32): exit 2, one message with the byte, no output
. tests/cli/lib.sh
cp $DATA/number-2p32.heapsnapshot "$TMP/in.heapsnapshot"
bad in.heapsnapshot

# an empty file: exit 2, one message, no output file
. tests/cli/lib.sh
: >"$TMP/in.heapsnapshot"
bad in.heapsnapshot

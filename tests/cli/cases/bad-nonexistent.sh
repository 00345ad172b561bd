# a file that does not exist
. tests/cli/lib.sh
bad no-such.heapsnapshot

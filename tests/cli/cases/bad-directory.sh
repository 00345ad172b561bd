# a directory given as the snapshot
. tests/cli/lib.sh
mkdir "$TMP/dir.heapsnapshot"
bad dir.heapsnapshot

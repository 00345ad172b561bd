# the disk fills during the snapshot: exit 2 with one line, and nothing is
# left in the directory (a 1 MB tmpfs, where mounting one is permitted);
# stdout that cannot be written (/dev/full) is the same failure
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
start_planted "$(node_bin 20)" 1234
cd "$TMP" || exit 1
hs-capture -q --inspect 127.0.0.1:$PORT >/dev/full 2>err
echo "stdout: exit $?"
sed "s/:$PORT:/:PORT:/" err
mkdir small
if ! mount -t tmpfs -o size=1m tmpfs small 2>/dev/null; then
	echo "mounting a tmpfs is not permitted here" >&2
	exit 77
fi
trap 'umount "$TMP/small" 2>/dev/null; for p in $PIDS; do kill -9 $p 2>/dev/null; done' EXIT
hs-capture -q --inspect 127.0.0.1:$PORT -o small/out.heapsnapshot 2>err
echo "tmpfs: exit $?"
sed "s/:$PORT:/:PORT:/" err
echo "left: $(ls -A small | wc -l)"
umount small

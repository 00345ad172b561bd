# stdout on a full disk (/dev/full): exit 2 and one "write error" line
. tests/cli/lib.sh
[ -w /dev/full ] || { echo "no /dev/full" >&2; exit 77; }
hs-summarize $DATA/tiny.heapsnapshot >/dev/full

# a gzip file: refused with a hint to zcat
. tests/cli/lib.sh
gzip -c $DATA/tiny.heapsnapshot >"$TMP/in.heapsnapshot.gz"
bad in.heapsnapshot.gz

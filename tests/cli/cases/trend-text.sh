# hs-trend's table for the bundled slow leak: the whole heap and the
# leaking classes (SessionRecord and their history arrays) are leaks, the
# containers that hold them grow linearly, code that stopped growing is
# stable; exit 1
. tests/cli/lib.sh
. tests/cli/cases/data/trend-lib.sh
need zstd tar
series leak
cd "$TMP" || exit 1
hs-trend --threshold 16KiB --top 8 --format text leak/*.hss

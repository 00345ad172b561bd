# the order of the summaries does not matter: oldest first, newest first
# and shuffled give the same bytes; -o writes the table, --format json the
# JSON lines; hs-report reads them back to the same JSON lines
. tests/cli/lib.sh
. tests/cli/cases/data/trend-lib.sh
need zstd tar
series plateau
cd "$TMP" || exit 1
set -- plateau/*.hss
hs-trend --threshold 16KiB --format json "$@" >a.json
hs-trend --threshold 16KiB --format json $(ls plateau/*.hss | sort -r) >b.json
hs-trend --threshold 16KiB --format json "$3" "$1" "$6" "$2" "$5" "$4" >c.json
cmp a.json b.json && cmp a.json c.json && echo "same bytes in any order"
hs-report --format json a.json >d.json && cmp a.json d.json &&
    echo "hs-report --format json gives them back"
hs-trend --threshold 16KiB -o table.txt "$@" && head -n 1 table.txt
hs-trend --threshold 16KiB "$@" | head -n 1 | cut -c1-30

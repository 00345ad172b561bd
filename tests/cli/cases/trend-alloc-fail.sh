# running out of memory at each allocation in turn of hs-trend on small
# hand-written summaries (ids records included) and of hs-report drawing
# the trend: exit 2 with one line and no output file, or the normal result
# (faults in tests/cli/cases/data/faults-lib.sh: a sample of the
# allocations in make check, every one with HS_FAULTS=all; hs-trend on
# memory samples is in fault-alloc)
. tests/cli/lib.sh
. tests/cli/cases/data/faults-lib.sh
need timeout
cd "$TMP" || exit 1
# summary N IDS...: a summary at minute N, the Leaky class holding IDS.
summary() {
	m=$1
	shift
	ids=$(printf '%s,' "$@" | sed 's/,$//')
	self=$(printf '20000,%.0s' "$@" | sed 's/,$//')
	n=$#
	printf '{"type":"header","format":"hs-summary","version":1,"ids":true,"session":"p","captured":"2026-11-22T05:3%s:00Z","total_size":%s,"node_count":%s,"max_js_object_id":%s}\n' \
	    "$m" $((1000000 + n * 20000)) $((100 + n)) $((100 * (m + 1) - 1))
	printf '{"type":"class","key":",Holder","name":"Holder","count":1,"self":16,"retained":%s}\n' $((16 + n * 20000))
	printf '{"type":"class","key":",Leaky","name":"Leaky","count":%s,"self":%s,"retained":%s}\n' $n $((n * 20000)) $((n * 20000))
	printf '{"type":"ids","key":",Holder","ids":[1],"self":[16]}\n'
	printf '{"type":"ids","key":",Leaky","ids":[%s],"self":[%s]}\n' "$ids" "$self"
}
summary 0 3 >a.hss
summary 1 3 98 2 >b.hss
summary 2 3 98 2 98 2 >c.hss
summary 3 3 98 2 98 2 98 2 >d.hss
hs-trend --threshold 10kB --format json a.hss b.hss c.hss d.hss >t.json
echo "exit $? (a leak)"
faults HS_FAIL_ALLOC "out of memory" hs-trend --threshold 10kB \
    --format text d.hss c.hss b.hss a.hss
faults HS_FAIL_ALLOC "out of memory" hs-report --format html t.json
faults HS_FAIL_ALLOC "out of memory" hs-report --format markdown t.json

# running out of memory at each allocation in turn of hs-trend (on samples
# and on small hand-written summaries) and of hs-report drawing the trend:
# never a crash, exit 2 with one line, or the normal result
. tests/cli/lib.sh
cd "$TMP" || exit 1
s=$OLDPWD/testdata/samples/leak.ndjson
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
# try WHAT CMD...: fail each allocation in turn until a run needs no
# failure.
try() {
	what=$1
	shift
	n=1 bad=0
	while :; do
		HS_FAIL_ALLOC=$n "$@" >out 2>err
		code=$?
		lines=$(wc -l <err | tr -d ' ')
		case $code in
		0 | 1) [ "$lines" -eq 0 ] || bad=$((bad + 1)) ;;
		2) [ "$lines" -eq 1 ] && grep -q 'out of memory' err ||
		       bad=$((bad + 1)) ;;
		*) bad=$((bad + 1)); echo "$1 failing allocation $n: exit $code" ;;
		esac
		[ $code -eq 2 ] || break
		n=$((n + 1))
	done
	echo "$what: a run per allocation failed; bad runs: $bad"
}
try "hs-trend on samples" hs-trend --threshold 1MiB --format json "$s"
try "hs-trend on summaries" hs-trend --threshold 10kB --format text \
    d.hss c.hss b.hss a.hss
try "hs-report html" hs-report --format html t.json
try "hs-report markdown" hs-report --format markdown t.json

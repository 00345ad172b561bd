# hs-trend on the bundled series of real Node processes (a slow leak, a
# cache that fills up, steady churn), as snapshots (summarized, given
# newest first) and as memory samples: each row of
# testdata/expected/series.tsv must match, pattern and exit status
. tests/cli/lib.sh
. tests/cli/cases/data/trend-lib.sh
need jq zstd tar
tab=$(printf '\t')
st=0
while IFS=$tab read -r sc input threshold name pattern leak want; do
	case $sc in '' | '#'* | scenario) continue ;; esac
	if [ "$input" = snapshots ]; then
		series "$sc"
		hs-trend --threshold "$threshold" --format json \
		    $(newest_first "$sc") >"$TMP/t.json"
	else
		hs-trend --threshold "$threshold" --format json \
		    "$SAMPLES/$sc.ndjson" >"$TMP/t.json"
	fi
	code=$?
	got=$(jq -r --arg n "$name" \
	    'select(.type == "series" and .name == $n) | .pattern' "$TMP/t.json")
	isleak=no
	[ "$got" = leak ] && isleak=yes
	if [ "$got" = "$pattern" ] && [ "$isleak" = "$leak" ] &&
	    [ "$code" = "$want" ]; then
		check=ok
	else
		check="MISMATCH (expected $pattern $leak exit $want)"
		st=1
	fi
	printf '%s\t%s\t%s\t%s\t%s\texit %s\t%s\n' "$sc" "$input" "$name" \
	    "$got" "$isleak" "$code" "$check"
done <testdata/expected/series.tsv
exit $st

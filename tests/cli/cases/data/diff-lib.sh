# diff-lib.sh: helpers for the diff-* and junit-* cases (sourced after
# tests/cli/lib.sh).

TRIPLES=testdata/snapshots/triples
TRUTH=testdata/expected/triples.tsv

# triple SCENARIO: summarize the scenario's three snapshots into
# $TMP/baseline.hss, $TMP/target.hss and $TMP/final.hss.
triple() {
	for r in baseline target final; do
		f=$TRIPLES/$1-$r.heapsnapshot.zst
		[ -f "$f" ] || { echo "$f not found" >&2; exit 77; }
		hs-summarize -q -o "$TMP/$r.hss" "$f" || exit 1
	done
}

# summary NAME: summarize a bundled snapshot into $TMP/NAME.hss.
summary() {
	hs-summarize -q -o "$TMP/$1.hss" "$(snap "$1")" || exit 1
}

# verdict DIFF: the verdict and the first three classes of a diff file.
verdict() {
	zstd -dc "$1" | jq -r '
	    if .type == "header" then
		"mode=\(.mode) ids_used=\(.ids_used) severity=\(.verdict.severity) leak=\(.verdict.leak) suspicious=\(.verdict.suspicious) likely=\(.verdict.likely_source // "-")"
	    else empty end'
	zstd -dc "$1" | jq -r 'select(.type == "class") |
	    "\(.name) severity=\(.severity) count=\(.delta.count) new=\(.new.count // "-") leaked=\(.leaked.count // "-")"' |
	    head -n 3
}

# truth SCENARIO CLASS COLUMN: a figure of the ground truth.
truth() {
	awk -F '\t' -v s="$1" -v c="$2" -v col="$3" '
	    /^#/ { next }
	    $1 == "scenario" { for (i = 1; i <= NF; i++) h[$i] = i; next }
	    $1 == s && $3 == c && $2 == "class" { print $h[col] }' "$TRUTH"
}

# class_figure DIFF CLASS FIELD: .FIELD.count of a class in a diff.
class_figure() {
	zstd -dc "$1" | jq -r --arg n "$2" --arg f "$3" \
	    'select(.type == "class" and .name == $n) | .[$f].count'
}

# schemas: the directory of the JUnit XSDs (../shared/schemas beside the
# repository, or /work/shared/schemas); skips the case when not found.
schemas() {
	for d in ../shared/schemas /work/shared/schemas; do
		if [ -f "$d/junit-10.xsd" ] && [ -f "$d/JUnit.xsd" ]; then
			(cd "$d" && pwd)
			return
		fi
	done
	echo "JUnit schemas not found in ../shared/schemas" >&2
	exit 77
}

# validate XML: check a JUnit report against both schemas.
validate() {
	for x in junit-10.xsd JUnit.xsd; do
		xmllint --noout --schema "$SCHEMAS/$x" "$1" 2>&1 |
		    sed "s|$1|report|; s|$SCHEMAS/||"
	done
}

# stable: a JUnit report with the host name left out.
stable() {
	sed 's/ hostname="[^"]*"/ hostname="HOST"/' "$1"
}

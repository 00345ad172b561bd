# lib.sh: helpers for the cases in tests/cli/cases (sourced; see run.sh).

SNAPS=testdata/snapshots
EXPECTED=testdata/expected
DATA=tests/cli/cases/data

# need COMMAND...: skip the case (exit 77) unless every COMMAND is found.
need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
		    { echo "$c not found" >&2; exit 77; }
	done
}

# snap NAME: the path of a bundled snapshot (mixed-node22, ...).
snap() {
	echo "$SNAPS/$1.heapsnapshot.zst"
}

# classes: the class records of a summary on stdin, as oracle TSV rows
# (key, name, count, self, retained, distance), sorted like the oracle's.
classes() {
	zstd -dc | jq -r '
	    def esc: gsub("\\\\"; "\\\\") | gsub("\t"; "\\t") |
		gsub("\n"; "\\n") | gsub("\r"; "\\r");
	    select(.type == "class") |
	    [(.key | esc), (.name | esc), .count, .self, .retained,
		.distance] | map(tostring) | join("\t")' | LC_ALL=C sort
}

# figures: the header and statistics figures of a summary on stdin, as the
# oracle's "# name=value" lines.
figures() {
	zstd -dc | jq -r '
	    if .type == "header" then
		"node_count=\(.node_count)", "edge_count=\(.edge_count)",
		"total_size=\(.total_size)",
		"extra_native_bytes=\(.extra_native_bytes)",
		"raw_self_total=\(.raw_self_total)",
		"max_node_id=\(.max_object_id)",
		"aggregate_count=\(.class_count)"
	    elif .type == "statistics" then
		"stat_total=\(.total)", "stat_v8heap=\(.v8heap)",
		"stat_native=\(.native)", "stat_code=\(.code)",
		"stat_strings=\(.strings)", "stat_jsarrays=\(.js_arrays)",
		"stat_typedarrays=\(.typed_arrays)",
		"stat_system=\(.system)"
	    else empty end' | sed 's/^/# /' | LC_ALL=C sort
}

# oracle NAME: summarize a bundled snapshot and compare it with DevTools'
# figures in testdata/expected/NAME.tsv; prints what matched, or the
# differences (and exits 1).
oracle() {
	tsv=$EXPECTED/$1.tsv
	hs-summarize "$(snap "$1")" >"$TMP/s.hss" || exit 1
	classes <"$TMP/s.hss" >"$TMP/got.tsv"
	sed '/^#/d' "$tsv" | sed 1d >"$TMP/want.tsv"
	figures <"$TMP/s.hss" >"$TMP/got.fig"
	grep '^# [a-z_0-9]*=' "$tsv" | grep -v '^# oracle=' | LC_ALL=C sort \
	    >"$TMP/want.fig"
	st=0
	if [ ! -s "$TMP/want.tsv" ] || [ ! -s "$TMP/want.fig" ]; then
		echo "$tsv: no rows or no figures"
		exit 1
	fi
	if diff -u --label "$tsv" --label hs-summarize "$TMP/want.tsv" "$TMP/got.tsv"; then
		echo "$(wc -l <"$TMP/got.tsv" | tr -d ' ') classes match"
	else
		st=1
	fi
	if diff -u --label "$tsv" --label hs-summarize "$TMP/want.fig" "$TMP/got.fig"; then
		echo "$(wc -l <"$TMP/got.fig" | tr -d ' ') figures match"
	else
		st=1
	fi
	exit $st
}

# records FILE: a summary's records without the header's "source" (what
# must not depend on where the snapshot was read from).
records() {
	zstd -dc "$1" | jq -c 'if .type == "header" then del(.source) else . end'
}

# bad FILE [OPTION...]: in $TMP, run hs-summarize -o out.hss [OPTION...]
# FILE; print its exit status and what is left in $TMP (so a partial
# output file shows), then exit with hs-summarize's status.
bad() {
	f=$1
	shift
	cd "$TMP" || exit 1
	hs-summarize -o out.hss "$@" "$f"
	st=$?
	echo "exit $st"
	ls -A
	exit $st
}

# plain NAME: decompress a bundled snapshot into $TMP/NAME.heapsnapshot and
# print its path (call it from the top directory).
plain() {
	zstd -dcq "$(snap "$1")" >"$TMP/$1.heapsnapshot" || exit 1
	echo "$TMP/$1.heapsnapshot"
}

# temporaries: waits (up to 10 s) for an -o temporary file (.hs-tmp.*) in
# the current directory and prints how many there are.
temporaries() {
	i=0
	while [ -z "$(ls -A | grep '^\.hs-tmp\.')" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ls -A | grep -c '^\.hs-tmp\.'
}

#!/bin/sh
# duckdb.sh: test share/hs/examples/duckdb/query-summaries.mjs on summaries
# of three bundled snapshots.
#
#	sh tests/cli/duckdb.sh
#
# Installs the example's npm packages (pinned in its package.json) into
# ${HS_NPM_CACHE:-~/.cache/hs-npm}/duckdb, outside the repository, when they
# are not there yet.  Prints "ok duckdb" (exit 0), "FAIL duckdb" and why
# (exit 1), or "skip duckdb: why" (exit 0) when node, npm, zstd or jq is
# missing or the packages cannot be installed (e.g. offline).

cd "$(dirname "$0")/../.." || exit 2
export LC_ALL=C TZ=UTC
example=share/hs/examples/duckdb
snaps=testdata/snapshots

skip() {
	echo "skip duckdb: $*"
	exit 0
}
failed=
fail() {
	echo "duckdb: $*" >&2
	failed=1
}

for c in node npm zstd jq; do
	command -v "$c" >/dev/null 2>&1 || skip "$c not found"
done
[ -x ./hs-summarize ] || make -s hs-summarize >/dev/null 2>&1 ||
    { echo "FAIL duckdb"; echo "duckdb: cannot build hs-summarize" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/hs-duckdb.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
trap 'exit 2' HUP INT TERM

# The npm packages, installed once into the cache; npm ls fails when they
# are missing or do not match the pins.
npmdir=${HS_NPM_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/hs-npm}/duckdb
mkdir -p "$npmdir" || skip "cannot make $npmdir"
if ! cmp -s "$example/package.json" "$npmdir/package.json" ||
    ! npm ls --prefix "$npmdir" >/dev/null 2>&1; then
	cp "$example/package.json" "$npmdir/package.json" || exit 2
	npm install --prefix "$npmdir" --no-package-lock --no-audit \
	    --no-fund --prefer-offline >"$T/npm.log" 2>&1 || {
		sed 's/^/  /' "$T/npm.log" | tail -5 >&2
		skip "npm install of @duckdb/node-api failed (offline?)"
	}
fi
# The example, run from a copy beside the cached node_modules.
mkdir "$T/q" && cp "$example/query-summaries.mjs" "$T/q/" &&
    ln -s "$npmdir/node_modules" "$T/q/node_modules" || exit 2
query() {
	node "$T/q/query-summaries.mjs" "$@"
}

# Two directories of the same three summaries: "cap" with labels and
# capture times whose order (empty, mixed, alloc) is not the file names'
# (alloc, empty, mixed); "plain" with neither, taken in file name order.
mkdir "$T/cap" "$T/plain" || exit 2
summarize() {	# NAME LABEL TIME
	./hs-summarize -q --label "$2" --captured "$3" \
	    -o "$T/cap/$1.hss" "$snaps/$1-node22.heapsnapshot.zst" &&
	./hs-summarize -q -o "$T/plain/$1.hss" \
	    "$snaps/$1-node22.heapsnapshot.zst"
}
summarize empty before 2025-01-01T10:00:00Z &&
summarize mixed during 2025-01-01T11:00:00Z &&
summarize alloc after 2025-01-01T12:00:00Z ||
    { echo "FAIL duckdb"; echo "duckdb: hs-summarize failed" >&2; exit 1; }

# The tables print, and name the planted class.
if query "$T/cap" >"$T/text.out" 2>"$T/text.err"; then
	grep -q 'LeakyThing' "$T/text.out" ||
	    fail "the text output does not name LeakyThing"
	grep -q '^# DuckDB v[0-9]' "$T/text.out" ||
	    fail "the text output has no DuckDB version line"
else
	fail "query-summaries.mjs $T/cap failed: $(cat "$T/text.err")"
fi

# check DIR FIRST MIDDLE LAST: the --json rows of the summaries in DIR,
# which should come in the order FIRST MIDDLE LAST, against jq's reading of
# the files.
check() {
	d=$1
	shift
	out=$T/$(basename "$d").json
	query --json --class LeakyThing "$d" >"$out" 2>"$T/json.err" ||
	    { fail "query-summaries.mjs --json $d failed: $(cat "$T/json.err")"
	    return; }
	got=$(jq -r 'select(.section == "summary") | .file' "$out" | tr '\n' ' ')
	[ "$got" = "$1.hss $2.hss $3.hss " ] ||
	    fail "$d: summaries in the order $got, not $1 $2 $3"

	for n in "$@"; do
		f=$d/$n.hss
		# label and source as in the header record
		want=$(zstd -dc "$f" | jq -c 'select(.type == "header") |
		    [.label, .source.name]')
		got=$(jq -c --arg f "$n.hss" 'select(.section == "summary" and
		    .file == $f) | [.label, .source]' "$out")
		[ "$got" = "$want" ] || fail "$f: header $got, want $want"
		# the top class is the file's first class record
		want=$(zstd -dc "$f" | jq -c 'select(.type == "class") |
		    [.key, .name, .count, .self, .retained]' | head -n 1)
		got=$(jq -c --arg f "$n.hss" 'select(.section == "top" and
		    .file == $f) | [.key, .name, .count, .self, .retained]' \
		    "$out" | head -n 1)
		[ -n "$want" ] && [ "$got" = "$want" ] ||
		    fail "$f: top class $got, want $want"
		got=$(jq -c --arg f "$n.hss" 'select(.section == "top" and
		    .file == $f)' "$out" | wc -l | tr -d ' ')
		[ "$got" = 5 ] || fail "$f: $got top classes, want 5"
	done

	# LeakyThing: 777 instances in mixed, none in empty
	got=$(jq -r 'select(.section == "class" and .file == "mixed.hss") |
	    .count' "$out")
	[ "$got" = 777 ] || fail "$d: LeakyThing count in mixed is '$got'"
	got=$(jq -r 'select(.section == "class" and .file == "empty.hss")' \
	    "$out")
	[ -z "$got" ] || fail "$d: LeakyThing in empty: $got"

	# growth from FIRST to LAST, against the same join done by jq
	zstd -dc "$d/$1.hss" >"$T/first.json" &&
	zstd -dc "$d/$3.hss" >"$T/last.json" || exit 2
	want=$(jq -nc --slurpfile a "$T/first.json" --slurpfile b "$T/last.json" '
	    ([$a[] | select(.type == "class") | {(.key): .retained}] | add)
		as $first |
	    [$b[] | select(.type == "class") |
		[.retained - ($first[.key] // 0), .key]] |
	    sort_by(-.[0], .[1]) | .[:10] | map(.[1])')
	got=$(jq -sc --arg f "$1.hss" --arg l "$3.hss" 'map(select(
	    .section == "growth" and .first == $f and .last == $l) | .key)' \
	    "$out")
	[ "$got" = "$want" ] || fail "$d: growth $got, want $want"
	got=$(jq -r 'select(.section == "growth" and .name == "LeakyThing") |
	    "\(.first_count) \(.last_count)"' "$out")
	[ "$got" = "0 777" ] || fail "$d: LeakyThing growth '$got', want 0 777"
}
check "$T/cap" empty mixed alloc
check "$T/plain" alloc empty mixed

if [ -n "$failed" ]; then
	echo "FAIL duckdb"
	exit 1
fi
echo "ok duckdb"

# trend-lib.sh: helpers for the trend-* cases (sourced after
# tests/cli/lib.sh).

SERIES=testdata/snapshots/series
SAMPLES=testdata/samples

# series SCENARIO: unpack a bundled series into $TMP/SCENARIO/ and
# summarize each snapshot into $TMP/SCENARIO/*.hss (once).
series() {
	[ -f "$TMP/$1/.done" ] && return 0
	f=$SERIES/$1.tar.zst
	[ -f "$f" ] || { echo "$f not found" >&2; exit 77; }
	zstd -dcq "$f" | tar -xf - -C "$TMP" || exit 1
	for s in "$TMP/$1"/*.heapsnapshot; do
		hs-summarize -q -o "${s%.heapsnapshot}.hss" "$s" || exit 1
		rm -f "$s"
	done
	: >"$TMP/$1/.done"
}

# newest_first SCENARIO: its summaries, newest first (hs-trend orders them).
newest_first() {
	ls "$TMP/$1"/*.hss | sort -r
}

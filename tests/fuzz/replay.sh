#!/bin/sh
# replay.sh: replays the regression inputs of each fuzz target given as an
# argument (tests/fuzz/regress/TARGET/*) through tests/fuzz/TARGET.replay,
# built by make check with the normal compiler (and the sanitizers of
# SANITIZE=...).  Every input that once crashed a target, or is worth
# keeping, lives there; run.sh copies new crashes in.
#
# Prints one line per target and "N passed, N failed"; exits 1 when a
# target crashed (its output is shown).
cd "$(dirname "$0")/../.." || exit 2
out=${TMPDIR:-/tmp}/hs-replay.$$
trap 'rm -f "$out"' EXIT INT TERM HUP
if command -v timeout >/dev/null 2>&1; then
	limit="timeout ${HS_REPLAY_TIMEOUT:-300}"
else
	limit=
fi

pass=0
fail=0
for t in "$@"; do
	# The inputs' names are hashes or words: no spaces.
	files=$(ls -d tests/fuzz/regress/"$t"/* 2>/dev/null)
	# shellcheck disable=SC2086
	if $limit "tests/fuzz/$t.replay" $files >"$out" 2>&1; then
		echo "PASS replay $t ($(tail -n 1 "$out"))"
		pass=$((pass + 1))
	else
		echo "FAIL replay $t (exit $?); the last input named is the one"
		tail -n 40 "$out" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

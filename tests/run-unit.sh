#!/bin/sh
# Runs the cmocka unit test binaries given as arguments, prints one line per
# binary, shows the output of those that fail, and ends with the line
# "N passed, N failed" counting test cases.  A binary that crashes, times out
# or fails without cmocka's summary counts as one failed case.
# Exit status: 0 when everything passed, 1 otherwise.

passed=0
failed=0
out=${TMPDIR:-/tmp}/hs-run-unit.$$
trap 'rm -f "$out"' EXIT INT TERM HUP

if command -v timeout >/dev/null 2>&1; then
	limit="timeout ${HS_UNIT_TIMEOUT:-300}"
else
	limit=
fi

for t in "$@"; do
	$limit "$t" >"$out" 2>&1
	rc=$?
	# A binary may run several groups: each has its summary.
	p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test(s)\..*/\1/p' "$out" |
	    awk '{ n += $1 } END { print n + 0 }')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test(s).*/\1/p' "$out" |
	    awk '{ n += $1 } END { print n + 0 }')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed, timed out or failed outside any test case.
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -eq 0 ]; then
		echo "PASS $t ($p passed)"
	else
		echo "FAIL $t ($p passed, $f failed, exit $rc)"
		sed 's/^/    /' "$out"
	fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

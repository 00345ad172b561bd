#!/bin/sh
# run.sh: end-to-end tests of the built tools.
#
#	sh tests/cli/run.sh [NAME...]	run all cases, or the named ones
#	HS_REGEN=1 sh tests/cli/run.sh	rewrite the expected files
#
# A case is tests/cli/cases/NAME.sh, run by sh from the top directory with
# the built tools (./hs-*) first on PATH, $TMP a fresh empty directory and
# stdin /dev/null.  Beside it: NAME.exit (expected exit status, 0 when
# absent), NAME.out and NAME.err (expected stdout and stderr, empty when
# absent).  In the output, the path of $TMP is written as $TMP.  A case that
# exits 77 is skipped (say why on stderr), e.g. when a tool is not built.
# Helpers for the cases are in tests/cli/lib.sh.
#
# Prints "ok NAME", "FAIL NAME" with a diff, or "skip NAME: why", and ends
# with one line "N passed, N failed".  Exits 1 when a case failed.
#
# HS_WRAP, when set, is a command that runs every tool the cases run (make
# check-valgrind: HS_WRAP='valgrind -q --error-exitcode=99 ...'); what it
# says on stderr, or a status of its own, fails the case.

cd "$(dirname "$0")/../.." || exit 2
top=$(pwd)
cases=tests/cli/cases
export LC_ALL=C TZ=UTC
unset HS_MAX_CHUNK HS_ALLOC_FAIL_AFTER

work=$(mktemp -d "${TMPDIR:-/tmp}/hs-cli.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
trap 'exit 2' HUP INT TERM

# The built tools, and nothing else from the top directory, first on PATH.
mkdir "$work/bin"
for t in hs-*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	if [ -n "${HS_WRAP:-}" ]; then
		printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$HS_WRAP" "$top/$t" \
		    >"$work/bin/$t" && chmod +x "$work/bin/$t"
	else
		ln -s "$top/$t" "$work/bin/$t"
	fi
done
PATH=$work/bin:$PATH
export PATH

if command -v timeout >/dev/null 2>&1; then
	timeout="timeout -k 5 ${HS_TEST_TIMEOUT:-300}"
else
	timeout=
fi

if [ $# -eq 0 ]; then
	set -- $(cd "$cases" && ls *.sh | sed 's/\.sh$//')
fi

pass=0
fail=0
skip=0
for name in "$@"; do
	name=${name%.sh}
	name=${name##*/}
	if [ ! -f "$cases/$name.sh" ]; then
		echo "FAIL $name (no $cases/$name.sh)"
		fail=$((fail + 1))
		continue
	fi
	TMP=$work/tmp/$name
	mkdir -p "$TMP"
	export TMP
	$timeout sh "$cases/$name.sh" >"$work/out.raw" 2>"$work/err.raw" \
	    </dev/null
	status=$?
	# Show the temporary directory's path as $TMP, whatever it is.
	sed "s|$TMP|\$TMP|g" "$work/out.raw" >"$work/out"
	sed "s|$TMP|\$TMP|g" "$work/err.raw" >"$work/err"
	rm -rf "$TMP"
	if [ "$status" = 77 ] && [ "$(cat "$cases/$name.exit" 2>/dev/null)" != 77 ]
	then
		echo "skip $name: $(tail -n 1 "$work/err")"
		skip=$((skip + 1))
		continue
	fi
	echo "$status" >"$work/exit"
	if [ -n "$HS_REGEN" ]; then
		for x in out err; do
			if [ -s "$work/$x" ]; then
				cp "$work/$x" "$cases/$name.$x"
			else
				rm -f "$cases/$name.$x"
			fi
		done
		cp "$work/exit" "$cases/$name.exit"
	fi
	failed=
	for x in exit out err; do
		if [ -f "$cases/$name.$x" ]; then
			expect=$cases/$name.$x
		elif [ "$x" = exit ]; then
			echo 0 >"$work/exit0"
			expect=$work/exit0
		else
			expect=/dev/null
		fi
		if ! cmp -s "$expect" "$work/$x"; then
			[ -z "$failed" ] && echo "FAIL $name"
			failed=1
			echo "--- $name.$x differs (expected, actual):"
			diff -u "$expect" "$work/$x" | tail -n +3 | head -n 60
		fi
	done
	if [ -n "$failed" ]; then
		fail=$((fail + 1))
	else
		echo "ok $name"
		pass=$((pass + 1))
	fi
done

[ "$skip" = 0 ] || echo "($skip skipped)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

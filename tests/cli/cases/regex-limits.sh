# a pathological PCRE2 pattern (catastrophic backtracking on long names of
# a real snapshot) in --redact, --include, --exclude and a --suppress file:
# each run fails within seconds with one clear line, exit 2, and no output
# file; a limit hit while redacting is no reason to write a summary
. tests/cli/lib.sh
need timeout
cd "$TMP" || exit 1
cp "$OLDPWD/$(snap mixed-node22)" in.heapsnapshot.zst || exit 1
mkdir out
hs-summarize -q -o a.hss in.heapsnapshot.zst || exit 1
hs-diff -q -o d.hsd a.hss a.hss
bad='(\w+)*\d$'
printf '%s\n' "$bad" >suppress.conf

# try ARGS...: the tool with -o out/x and at most 4 times the bound (5 s,
# or 60 s under make check-valgrind's wrapper); exit status, whether it
# took less than the bound, what is left in out/
bound=5
[ -n "${HS_WRAP:-}" ] && bound=60
try() {
	start=$(date +%s)
	timeout $((bound * 4)) "$@" -o out/x >/dev/null
	st=$?
	[ $(($(date +%s) - start)) -lt $bound ] && t="in bounded time" ||
	    t="slow"
	echo "$1 $2: exit $st, $t, left: $(ls -A out)"
	rm -f out/x
}
try hs-summarize --redact "$bad" in.heapsnapshot.zst
try hs-report --include "$bad" a.hss
try hs-report --exclude "$bad" a.hss
try hs-report --include "$bad" d.hsd
try hs-diff --include "$bad" a.hss a.hss
try hs-diff --exclude "$bad" a.hss a.hss
try hs-diff --suppress suppress.conf a.hss a.hss

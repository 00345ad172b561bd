# faults-lib.sh: fault injection over whole tool runs, for the fault-*
# cases (sourced after tests/cli/lib.sh), as SQLite and curl test theirs.
#
# faults VAR WANT TOOL ARG...: runs "TOOL ARG... -o out/x" in $TMP with
# VAR=N in its environment (HS_FAIL_ALLOC: the Nth allocation and every
# later one fail; HS_FAIL_WRITE: the same for writes of output) for
# N = 1, 2, ... up to the first N that the run no longer reaches.  Every
# run must exit 2 with one line on stderr that contains WANT and leave
# nothing in out/ (no output file, no temporary), or, when the Nth fault
# is never reached, succeed with out/x written.  A crash, a hang (60 s),
# a sanitizer's report (its own exit status) or a second line fails.
#
# With HS_FAULTS=sample (the default in make check) N takes the first 50
# values, 50 spread evenly over the rest and the last 50 (where output is
# committed); HS_FAULTS=all takes every N,
# HS_FAULTS=K (a number) every Kth.
# Prints "TOOL VAR: clean", or each bad run; with HS_FAULTS_LOG=FILE
# appends the counts of runs and faults there (README's figures).
faults() {
	var=$1 want=$2
	shift 2
	mkdir -p "$TMP/out" || exit 1
	# The number of the last fault the run reaches: where it first
	# succeeds (doubling, then bisection).
	lo=0 hi=1
	while ! fault_run "$var" "$hi" "$@" >/dev/null; do
		lo=$hi hi=$((hi * 2))
		[ $hi -le 10000000 ] || { echo "$* ($var): never succeeds"; return; }
	done
	while [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		if fault_run "$var" $mid "$@" >/dev/null; then
			hi=$mid
		else
			lo=$mid
		fi
	done
	case ${HS_FAULTS:-sample} in
	all) step=1 ;;
	*[!0-9]*) step= ;;
	*) step=$HS_FAULTS ;;
	esac
	[ $hi -le 200 ] && step=1
	if [ -n "$step" ]; then
		ns=$(seq 1 "$step" $hi)
	else
		ns=$({ seq 1 50; seq 51 $(((hi - 50) / 50)) $hi
		    seq $((hi - 50)) $hi; } | sort -nu)
	fi
	runs=0 injected=0 bad=0
	for n in $ns; do
		runs=$((runs + 1))
		r=$(fault_run "$var" "$n" "$@")
		case $r in
		ok) ;;
		failed) injected=$((injected + 1)) ;;
		*)	bad=$((bad + 1))
			[ $bad -le 5 ] && echo "$* ($var=$n): $r"
			;;
		esac
	done
	[ $bad -eq 0 ] && echo "$* ($var): clean"
	[ -n "${HS_FAULTS_LOG:-}" ] &&
	    echo "$var $runs runs $injected faults $bad bad: $*" >>"$HS_FAULTS_LOG"
	return 0
}

# every_tool VAR WANT: faults VAR WANT over a run of each tool on small
# real inputs: a test snapshot and a Chromium one, the summaries of a real
# leak's three snapshots, their diff and the reports of both, and their
# trend and that of memory samples.
every_tool() {
	t=testdata/snapshots/triples/array-leak
	mkdir -p "$TMP/in" || exit 1
	for r in baseline target final; do
		hs-summarize -q -o "$TMP/in/$r.hss" $t-$r.heapsnapshot.zst ||
		    exit 1
	done
	hs-diff -q -o "$TMP/in/leak.hsd" "$TMP"/in/baseline.hss \
	    "$TMP"/in/target.hss "$TMP"/in/final.hss >/dev/null
	[ -s "$TMP/in/leak.hsd" ] || exit 1
	faults "$1" "$2" hs-summarize "$DATA/tiny.heapsnapshot"
	faults "$1" "$2" hs-summarize "$(snap dom-chromium)"
	faults "$1" "$2" hs-diff "$TMP"/in/baseline.hss "$TMP"/in/target.hss \
	    "$TMP"/in/final.hss
	faults "$1" "$2" hs-report "$TMP/in/final.hss"
	faults "$1" "$2" hs-report --format html "$TMP/in/leak.hsd"
	faults "$1" "$2" hs-junit "$TMP/in/leak.hsd"
	faults "$1" "$2" hs-trend --format json "$TMP"/in/baseline.hss \
	    "$TMP"/in/target.hss "$TMP"/in/final.hss
	faults "$1" "$2" hs-trend testdata/samples/leak.ndjson
}

# fault_run VAR N TOOL ARG...: one run; prints "ok" (succeeded, out/x
# written), "failed" (exit 2, one line with $want, nothing left) or what
# was wrong.
fault_run() {
	v=$1 n=$2
	shift 2
	rm -rf "$TMP/out" && mkdir "$TMP/out"
	env "$v=$n" timeout -k 5 60 "$@" -o "$TMP/out/x" \
	    >/dev/null 2>"$TMP/fault.err"
	st=$?
	lines=$(wc -l <"$TMP/fault.err" | tr -d ' ')
	left=$(ls -A "$TMP/out" | tr '\n' ' ')
	# (hs-diff exits 1 when it finds a leak)
	if [ $st -le 1 ] && [ "$left" = "x " ]; then
		echo ok
		return 0
	fi
	if [ $st -eq 2 ] && [ "$lines" = 1 ] && [ -z "$left" ] &&
	    grep -q "^$1: .*$want" "$TMP/fault.err"; then
		echo failed
		return 1
	fi
	echo "exit $st, $lines line(s) ($(head -c 300 "$TMP/fault.err" |
	    tr '\n' '|')), left: $left"
	return 1
}

#!/bin/sh
# Seeds a corpus per fuzz target and runs each for FUZZ_SECONDS seconds.
# Called by "make fuzz" after the targets are built into tests/fuzz/build/.
# Prints, per target, the executions libFuzzer reports and whether it
# found a crash; a crashing input is saved in tests/fuzz/regress/TARGET/,
# where make check replays it from then on (tests/fuzz/replay.sh).  Exits 1
# when any target found one.
set -u

seconds=${FUZZ_SECONDS:-60}
max_len=${FUZZ_MAX_LEN:-65536}
build=tests/fuzz/build
regress=tests/fuzz/regress
data=tests/cli/cases/data
snap=testdata/snapshots/empty-node18.heapsnapshot.zst
targets="fuzz_snapshot fuzz_summary fuzz_json fuzz_rules fuzz_intscan
    fuzz_inspector"

# Every target's corpus starts with its regression inputs.
for t in $targets; do
	mkdir -p "$build/corpus-$t" "$regress/$t" || exit 2
	cp "$regress/$t"/* "$build/corpus-$t"/ 2>/dev/null
done

# Snapshots: the small test snapshots and a few prefixes of a real one.
c=$build/corpus-fuzz_snapshot
cp "$data"/*.heapsnapshot "$c"/ || exit 2
for n in 1024 4096 16384 65536; do
	zstd -dcq "$snap" | head -c $n > "$c/prefix-$n.heapsnapshot"
done

# Summaries and diffs made from tiny.heapsnapshot, compressed and plain.
c=$build/corpus-fuzz_summary
tiny=$data/tiny.heapsnapshot
./hs-summarize -q -o "$c/tiny.hss" "$tiny" &&
./hs-summarize -q --no-ids -o "$c/tiny-noids.hss" "$tiny" &&
./hs-summarize -q --raw --label before --session s1 \
    --captured 2024-01-02T03:04:05Z -o "$c/tiny-raw.hss" "$tiny" || exit 2
./hs-diff -q -o "$c/tiny.hsd" "$c/tiny.hss" "$c/tiny-raw.hss" >/dev/null
./hs-diff -q -o "$c/tiny3.hsd" "$c/tiny.hss" "$c/tiny-raw.hss" \
    "$c/tiny.hss" >/dev/null
[ -s "$c/tiny.hsd" ] && [ -s "$c/tiny3.hsd" ] || exit 2
for f in tiny tiny-noids tiny-raw; do
	zstd -dcq "$c/$f.hss" > "$c/$f.jsonl" || exit 2
done
for f in tiny tiny3; do
	zstd -dcq "$c/$f.hsd" > "$c/$f-diff.jsonl" || exit 2
done
# A trend and memory samples (hs-trend).
head -n 12 testdata/samples/leak.ndjson > "$c/samples.ndjson" || exit 2
./hs-trend --threshold 1MiB --format json "$c/samples.ndjson" \
    > "$c/samples.trend"
[ -s "$c/samples.trend" ] || exit 2

# JSON texts, and the first records of a summary.
c=$build/corpus-fuzz_json
printf '%s' '{"a":[1,2.5,-3e2,true,false,null],"b":{"c":"d\u00e9\n"}}' \
    > "$c/object.json"
printf '%s' '[[[[[[[[[[]]]]]]]]]]' > "$c/nested.json"
printf '%s' '"\ud83d\ude00 \\ \" \/ \b\f\r\t"' > "$c/string.json"
printf '%s' '18446744073709551616' > "$c/number.json"
printf '%s' '{"type":"header","version":1}' > "$c/header.json"
head -n 3 "$build/corpus-fuzz_summary/tiny.jsonl" | sed -n 1p > "$c/s1.json"
head -n 3 "$build/corpus-fuzz_summary/tiny.jsonl" | sed -n 2p > "$c/s2.json"
head -n 3 "$build/corpus-fuzz_summary/tiny.jsonl" | sed -n 3p > "$c/s3.json"

# Rules: hs's own files (the first byte picks the parser, as in
# fuzz_rules.c: even for suppressions, odd for patterns).
c=$build/corpus-fuzz_rules
{ printf '\001'; cat share/hs/rules/patterns.conf; } >"$c/patterns.conf"
{ printf '\000'; cat share/hs/rules/suppress-node.conf; } >"$c/suppress.conf"

st=0
for t in $targets; do
	log=$build/$t.log
	echo "fuzz: $t: running for $seconds s (max_len $max_len)"
	"$build/$t" -max_len="$max_len" -max_total_time="$seconds" \
	    -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$regress/$t/" "$build/corpus-$t" \
	    > "$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: $t: ${runs:-? runs}, no crash"
	else
		st=1
		art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
		echo "fuzz: $t: CRASH after ${execs:-?} runs (exit $rc), input ${art:-not saved}; see $log"
		grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" |
		    sed 's/^/fuzz:   /'
	fi
done
exit $st

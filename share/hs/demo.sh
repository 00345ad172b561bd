#!/bin/sh
# demo.sh: the whole job on bundled data.  Three snapshots of one Node
# process that leaks (testdata/snapshots/triples/array-leak-*: a baseline,
# then after one and two rounds of work) are summarized; the top classes of
# the last are shown; then hs-diff finds the leak.  Run by `make demo` from
# the top directory after `make`.

snaps=testdata/snapshots/triples
[ -x ./hs-summarize ] || { echo "demo: run make first" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/hs-demo.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' HUP INT TERM

for step in baseline target final; do
	snap=$snaps/array-leak-$step.heapsnapshot.zst
	echo "== hs-summarize --label $step -o $step.hss $snap"
	./hs-summarize -q --label "$step" -o "$dir/$step.hss" "$snap" || exit 1
	s=$(wc -c <"$snap")
	h=$(wc -c <"$dir/$step.hss")
	echo "   $s bytes of compressed snapshot -> $h bytes of summary"
done

echo
echo "== hs-report --top 12 final.hss"
./hs-report --top 12 "$dir/final.hss" | sed -n '1,/^Retainers/p' |
    sed '$d' || exit 1

echo "== hs-diff --threshold 10KB baseline.hss target.hss final.hss"
./hs-diff --threshold 10KB --top 8 "$dir/baseline.hss" "$dir/target.hss" \
    "$dir/final.hss"
status=$?
echo
echo "hs-diff exited $status (1: a leak was found)"
[ $status -le 1 ]

#!/bin/sh
# demo.sh: summarize two bundled snapshots, an idle process ("before") and
# one holding leaked objects ("after"), and show their top classes and how
# much smaller a summary is than its snapshot.  Run by `make demo` from the
# top directory after `make`.

snaps=testdata/snapshots
[ -x ./hs-summarize ] || { echo "demo: run make first" >&2; exit 1; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/hs-demo.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' HUP INT TERM

# top FILE: the top 15 classes of a summary.
top() {
	if [ -x ./hs-report ]; then
		./hs-report --top 15 "$1"
	else
		printf 'class\tcount\tself\tretained\n'
		zstd -dc "$1" | jq -r 'select(.type == "class") |
		    [.name, .count, .self, .retained] | @tsv' | head -n 15
	fi
}

for w in before:empty after:mixed; do
	label=${w%%:*}
	snap=$snaps/${w#*:}-node22.heapsnapshot.zst
	echo "== ./hs-summarize --label $label -o $dir/$label.hss $snap"
	./hs-summarize -q --label "$label" -o "$dir/$label.hss" "$snap" ||
	    exit 1
done
for label in before after; do
	echo
	echo "== top classes, $label"
	top "$dir/$label.hss" || exit 1
done

echo
echo "== sizes: each snapshot (zstd-compressed) and its summary"
for w in before:empty after:mixed; do
	label=${w%%:*}
	snap=$snaps/${w#*:}-node22.heapsnapshot.zst
	s=$(wc -c <"$snap")
	h=$(wc -c <"$dir/$label.hss")
	# the snapshot's JSON size, from the summary's header record
	j=$(zstd -dc "$dir/$label.hss" 2>/dev/null | head -n 1 |
	    sed -n 's/.*"json_bytes":\([0-9]*\).*/\1/p')
	echo "$label: $snap is $s bytes${j:+ ($j of JSON)}," \
	    "its summary $h ($((h * 100 / s))% of it)"
done

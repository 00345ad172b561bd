# a real snapshot cut short at several points (in the meta, in "nodes", in
# "edges", in "strings", one byte short): each exit 2, one line, no output
. tests/cli/lib.sh
p=$(plain mixed-node22)
cd "$TMP" || exit 1
for n in 100 1000000 3000000 5897999; do
	head -c $n mixed-node22.heapsnapshot >in.heapsnapshot
	hs-summarize -o out.hss in.heapsnapshot
	echo "$n: exit $? $(ls -A | tr '\n' ' ')"
done

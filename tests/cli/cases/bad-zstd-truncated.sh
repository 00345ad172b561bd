# a zstd file cut short, in the middle and just before its end
. tests/cli/lib.sh
cd "$TMP" || exit 1
z=$OLDPWD/$(snap mixed-node22)
for n in 400000 $(($(wc -c <"$z") - 3)); do
	head -c $n "$z" >in.heapsnapshot.zst
	hs-summarize -o out.hss in.heapsnapshot.zst
	echo "exit $? $(ls -A | tr '\n' ' ')"
done

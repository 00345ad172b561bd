# --level outside 1..19, or not a number: exit 2, one line; 1 and 19 work
. tests/cli/lib.sh
for n in 99 0 20 -1 abc 6x ''; do
	hs-summarize --level "$n" -o "$TMP/out.hss" $DATA/tiny.heapsnapshot
	echo "level '$n': exit $?"
done
ls -A "$TMP"
for n in 1 19; do
	hs-summarize --level $n $DATA/tiny.heapsnapshot | zstd -dc | head -c 16
	echo " level $n: exit $?"
done

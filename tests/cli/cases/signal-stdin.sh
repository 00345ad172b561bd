# SIGINT while hs-summarize -o FILE reads a snapshot from a pipe on stdin
# that is fed slowly (and then stalls): hs-summarize dies of the signal
# and leaves neither FILE nor its temporary
. tests/cli/lib.sh
p=$(plain mixed-node22)
cd "$TMP" || exit 1
mkfifo fifo
hs-summarize -o out.hss - <fifo &
pid=$!
exec 3>fifo
# 3 MB in 100 KB pieces, then nothing more
i=0
while [ $i -lt 30 ]; do
	dd if="$p" bs=100000 skip=$i count=1 2>/dev/null >&3
	i=$((i + 1))
done
echo "before: $(temporaries) temporary"
kill -INT $pid
{ wait $pid; } 2>/dev/null
echo "exit $?"
exec 3>&-
echo "after: $(ls -A | tr '\n' ' ')"

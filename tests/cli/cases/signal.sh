# SIGINT or SIGTERM while writing -o FILE (the input a fifo that stalls
# half-way) kills hs-summarize and leaves neither FILE nor its temporary
. tests/cli/lib.sh
p=$(plain mixed-node22)
cd "$TMP" || exit 1
for sig in INT TERM; do
	mkfifo fifo
	hs-summarize -o out.hss fifo &
	pid=$!
	exec 3>fifo
	head -c 3000000 "$p" >&3
	# The temporary file is there while the input is read.
	echo "$sig: before: $(temporaries) temporary"
	sleep 0.2
	kill -$sig $pid
	{ wait $pid; } 2>/dev/null
	echo "$sig: exit $?"
	exec 3>&-
	rm fifo
	echo "$sig: after: $(ls -A | tr '\n' ' ')"
done

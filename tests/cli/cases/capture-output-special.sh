# -o a fifo writes into the fifo (it is not replaced by a file); -o a
# symbolic link replaces the link's target; -o a directory is refused
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
start_planted "$(node_bin 20)" 321
cd "$TMP" || exit 1
mkfifo fifo
cat fifo >from-fifo.heapsnapshot &
catpid=$!
hs-capture -q --inspect 127.0.0.1:$PORT -o fifo
echo "fifo: exit $?"
wait $catpid
[ -p fifo ] && echo "fifo is still a fifo"
planted from-fifo.heapsnapshot
echo old >target.heapsnapshot
ln -s target.heapsnapshot link.heapsnapshot
hs-capture -q --inspect 127.0.0.1:$PORT -o link.heapsnapshot
echo "link: exit $?"
[ -L link.heapsnapshot ] && echo "link is still a link"
planted target.heapsnapshot
mkdir dir
hs-capture -q --inspect 127.0.0.1:$PORT -o dir 2>&1
echo "dir: exit $?"
ls -A | grep -v 'err$'

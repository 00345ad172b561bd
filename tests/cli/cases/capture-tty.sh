# on a terminal: a snapshot is not written to it (exit 2, one line), and
# with -o the progress bar is drawn on stderr from the inspector's done and
# total, then erased; -q draws none
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node script
script -qec true /dev/null >/dev/null 2>&1 </dev/null ||
    { echo "script(1) cannot open a pty here" >&2; exit 77; }
start_planted "$(node_bin 20)" 10 5
cd "$TMP" || exit 1
script -qec "hs-capture --inspect 127.0.0.1:$PORT; echo exit \$?" /dev/null \
    </dev/null | tr -d '\r'
script -qec "hs-capture --inspect 127.0.0.1:$PORT -o bar.heapsnapshot" \
    /dev/null </dev/null >tty.txt
echo "bar: $(grep -c 'snapshot \[#' tty.txt) line(s) with a bar"
grep -q '100%' tty.txt && echo "bar reached 100%"
grep -q "$(printf '\033\\[K')" tty.txt && echo "bar erased"
script -qec "hs-capture -q --inspect 127.0.0.1:$PORT -o quiet.heapsnapshot" \
    /dev/null </dev/null >quiet.txt
echo "-q: $(wc -c <quiet.txt | tr -d ' ') bytes on the terminal"
planted bar.heapsnapshot

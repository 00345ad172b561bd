# a tool started with stdin, stdout or stderr closed: no file it opens
# takes their place (hs-summarize --stats 2>&- once wrote its figures into
# the summary); reading a closed stdin or writing a closed stdout is
# reported as before
. tests/cli/lib.sh
need zstd
cd "$TMP" || exit 1
cp "$OLDPWD/$DATA/tiny.heapsnapshot" . || exit 1
hs-summarize -q -o want.hss tiny.heapsnapshot || exit 1

hs-summarize --stats -o s.hss tiny.heapsnapshot 2>&-
echo "--stats 2>&-: exit $?, $(zstd -tq s.hss && echo valid summary)"
hs-summarize -o s.hss tiny.heapsnapshot <&- >&-
echo "<&- >&-: exit $?, $(zstd -tq s.hss && echo valid summary)"
hs-diff -o d.hsd want.hss want.hss >&-
echo "hs-diff -o d.hsd >&-: exit $?, $(zstd -tq d.hsd && echo valid diff)"
hs-summarize <&-
echo "hs-summarize <&-: exit $?"
hs-report -o r.txt want.hss 2>&- >&-
echo "hs-report -o r.txt 2>&- >&-: exit $?, $(head -c 4 r.txt | wc -c) bytes at its start"

# summaries and diffs that are damaged (a bad zstd checksum, a bad zstd
# magic, a wrong format name, a newer version, cut short, a frame that
# declares a 2 GiB window) given to hs-report, hs-diff and hs-junit with
# -o: each exits 2 with one line and leaves no output file
. tests/cli/lib.sh
need zstd
cd "$TMP" || exit 1
mkdir in out
# (by a relative name: the header holds it, and the offsets depend on it)
cp "$OLDPWD/$DATA/tiny.heapsnapshot" in/ || exit 1
hs-summarize -q -o in/good.hss in/tiny.heapsnapshot || exit 1
hs-diff -q -o in/good.hsd in/good.hss in/good.hss || exit 1
for k in hss hsd; do
	n=$(wc -c <in/good.$k)
	{ head -c $((n - 1)) in/good.$k; tail -c 1 in/good.$k |
	    tr '\000-\377' '\377\000-\376'; } >in/checksum.$k
	{ printf '\051'; tail -c +2 in/good.$k; } >in/magic.$k
	head -c $((n / 2)) in/good.$k >in/cut.$k
	zstd -dcq in/good.$k >in/plain.$k
	sed '1s/"version":1,/"version":7,/' in/plain.$k >in/version.$k
	sed '1s/"format":"hs-[a-z]*"/"format":"hs-other"/' in/plain.$k \
	    >in/format.$k
	# (from a pipe, so that zstd cannot size the window to the input)
	zstd -q --long=31 -c <in/plain.$k >in/window.$k
done
rm in/plain.hss in/plain.hsd

# try TOOL ARGS...: run it with -o out/x; its exit status and what it left
try() {
	"$@" -o out/x
	echo "exit $? left: $(ls -A out)"
}
for f in checksum magic cut version format window; do
	try hs-report in/$f.hss
	try hs-report in/$f.hsd
	try hs-diff in/good.hss in/$f.hss
	try hs-junit in/$f.hsd
done

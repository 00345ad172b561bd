# a sample of tests/unit/test_malformed.c's inputs through hs-summarize
# with -o: a real snapshot (plain, and zstd on stdin) cut at points in its
# first and last KiB, and with one bit flipped at spread-out points.  A cut
# exits 2 with one line and leaves no file; a flip is refused the same
# way or summarized.
. tests/cli/lib.sh
need zstd od
p=$(plain dom-chromium)
cd "$TMP" || exit 1
mkdir out
size=$(wc -c <"$p")

# try NAME [ARGS]: hs-summarize -o out/x.hss ARGS; the exit status, the
# number of lines on stderr and what is left in out/
try() {
	name=$1
	shift
	hs-summarize -o out/x.hss "$@" 2>err
	echo "$name: exit $?, $(wc -l <err | tr -d ' ') line(s), left: $(ls -A out)"
	cat err >&2
	rm -f out/x.hss
}

for n in 0 1 17 300 1023 $((size - 1000)) $((size - 2)) $((size - 1)); do
	head -c $n "$p" >in.heapsnapshot
	try "cut at $n" in.heapsnapshot
	head -c $n "$p" | zstd -q | try "cut at $n, zstd on stdin" -
done

# flip BYTE BIT: a copy of the snapshot with that bit of that byte flipped
flip() {
	cp "$p" in.heapsnapshot
	b=$(od -An -tu1 -j "$1" -N 1 "$p" | tr -d ' ')
	printf "\\$(printf %03o $((b ^ (1 << $2))))" |
	    dd of=in.heapsnapshot bs=1 seek="$1" conv=notrunc 2>/dev/null
}
for i in 1 2 3 4 5 6 7 8; do
	at=$((size * i / 9 + 13 * i))
	flip $at $((i % 8))
	try "bit $((i % 8)) of byte $at flipped" in.heapsnapshot
done

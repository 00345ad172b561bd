# inputs that would take memory if obeyed, read with -o in bounded memory
# (peak RSS under 64 MiB, also under AddressSanitizer): a zstd frame that
# declares a 2 GiB window, node_count and edge_count of four billion with a
# tiny body, and a 100 MB string (made on the fly, fed through a pipe) as
# a string value, as a node's name, and left unclosed
. tests/cli/lib.sh
need zstd
[ -x /usr/bin/time ] || { echo "no /usr/bin/time (Debian: time)" >&2; exit 77; }
tiny=$(pwd)/$DATA/tiny.heapsnapshot
cd "$TMP" || exit 1
mkdir out

# run NAME: hs-summarize -o out/x.hss - with stdin from the caller; prints
# the exit status, whether the peak RSS stayed under 64 MiB and what is
# left in out/
run() {
	/usr/bin/time -f %M -o rss hs-summarize -o out/x.hss -
	st=$?
	kib=$(tail -n 1 rss)
	[ "$kib" -lt 65536 ] && mem="under 64 MiB" || mem="$kib KiB"
	echo "$1: exit $st, $mem, left: $(ls -A out)"
	rm -f out/x.hss
}

zstd -q --long=31 -c <"$tiny" | run "2 GiB window"
sed 's/"node_count":3/"node_count":4000000000/' "$tiny" |
    run "node_count 4e9"
sed 's/"edge_count":2/"edge_count":4000000000/' "$tiny" |
    run "edge_count 4e9"
sed 's/"nodes":\[9,0,1,0,1,/"nodes":[9,0,1,0,4000000000,/' "$tiny" |
    run "a node's edge_count 4e9"

# big BEFORE AFTER: tiny.heapsnapshot with "hello" (string 2, the name of
# node 2) replaced by BEFORE, 100 MB of x, and AFTER
big() {
	at=$(grep -ob '"hello"' "$tiny" | cut -d: -f1)
	head -c "$at" "$tiny"
	printf '%s' "$1"
	head -c 100000000 /dev/zero | tr '\0' x
	printf '%s' "$2"
	tail -c +$((at + 8)) "$tiny"
}
big '"' '"' | run "100 MB node name"
sed 's/"hello"/"h"/; s/"s"\]/"s","hello"]/' "$tiny" >in
at=$(grep -ob '"hello"' in | cut -d: -f1)
{ head -c "$at" in; printf '"'; head -c 100000000 /dev/zero | tr '\0' y
    printf '"]}'; } | run "100 MB string value"
big '"' '' | run "100 MB string never closed"
big '"\u00' '"' | run "100 MB string after a bad escape"

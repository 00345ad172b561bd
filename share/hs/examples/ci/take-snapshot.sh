#!/bin/sh
# take-snapshot.sh PID FILE [SECONDS]: have the Node.js process PID write a
# heap snapshot, wait until it is complete, and move it to FILE.
#
# The process must have been started with --heapsnapshot-signal=SIGUSR2
# (node --heapsnapshot-signal=SIGUSR2 server.js, or the same in
# NODE_OPTIONS).  On that signal, Node.js writes
# Heap.YYYYMMDD.HHMMSS.PID.0.SEQ.heapsnapshot into its --diagnostic-dir, or
# its working directory; set HS_NODE_DIR when that is not the working
# directory of PID (read from /proc on Linux, else the current one).
# V8 collects garbage before it writes the snapshot, so no manual GC is
# needed.  The process is paused while it writes (Node.js 20 took 70 s for
# a 1 GB snapshot in hs's benchmark).  SECONDS (default 600) bounds the
# wait.
#
# Once hs-capture (planned) is available, it does this over the DevTools
# protocol instead, without the signal.

pid=$1
out=$2
limit=${3:-600}
case $pid in
''|*[!0-9]*) echo "usage: take-snapshot.sh PID FILE [SECONDS]" >&2; exit 2 ;;
esac
[ -n "$out" ] || { echo "usage: take-snapshot.sh PID FILE [SECONDS]" >&2; exit 2; }
dir=${HS_NODE_DIR:-$(readlink "/proc/$pid/cwd" 2>/dev/null || pwd)}

# The snapshots PID has written so far; the new one is the one not listed.
before=$(ls "$dir" 2>/dev/null | grep "^Heap\..*\.$pid\..*\.heapsnapshot\$")
kill -USR2 "$pid" || exit 2

waited=0
tick() {
	kill -0 "$pid" 2>/dev/null ||
	    { echo "take-snapshot: process $pid ended" >&2; exit 2; }
	[ "$waited" -lt "$limit" ] ||
	    { echo "take-snapshot: no complete snapshot after $limit s" >&2; exit 2; }
	sleep 1
	waited=$((waited + 1))
}

new=
while [ -z "$new" ]; do
	tick
	new=$(ls "$dir" 2>/dev/null | grep "^Heap\..*\.$pid\..*\.heapsnapshot\$" |
	    while read -r f; do
		printf '%s\n' "$before" | grep -qxF "$f" || echo "$f"
	    done | tail -n 1)
done

# Complete when PID no longer has the file open (Linux), or else when its
# size has not changed for two seconds.
if [ -d "/proc/$pid/fd" ]; then
	while ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF "/$new"; do
		tick
	done
else
	last=-1 same=0
	while [ "$same" -lt 2 ]; do
		size=$(wc -c <"$dir/$new")
		if [ "$size" = "$last" ]; then same=$((same + 1)); else same=0; fi
		last=$size
		tick
	done
fi
mv "$dir/$new" "$out" || exit 2
echo "take-snapshot: $out ($(wc -c <"$out") bytes) from process $pid"

#!/usr/bin/env bash
# bench/capture.sh: hs-capture against v8.writeHeapSnapshot() on the same
# Node process (the last step of make bench; see bench/README.md).
#
# A node process builds the benchmark heap (bench/gen-heap.js --serve,
# HS_BENCH_CAPTURE_MB of snapshot, 1000 by default: about 0.7 GiB of JS
# heap) with its inspector open.  Then, in turn: hs-capture takes a
# snapshot to a file, the process writes one itself with
# v8.writeHeapSnapshot() (on SIGUSR2), and hs-capture takes another.
# Prints hs-capture's wall time and peak RSS (GNU time) against V8's own
# time, and writes bench/out/capture.tsv.  The snapshots are removed.
set -u
cd "$(dirname "$0")/.." || exit 1
MB=${HS_BENCH_CAPTURE_MB:-1000}
CAP=${HS_CAPTURE:-./hs-capture}
NODE_MB=${HS_BENCH_NODE_MB:-4096}
OUT=bench/out
TIME=/usr/bin/time
LOG=$OUT/capture-node.log
mkdir -p "$OUT"

die() { echo "bench: capture: $*" >&2; exit 1; }
[ -x "$CAP" ] || { echo "bench: NOTE: $CAP not found; capture not timed."; exit 0; }
command -v node >/dev/null || die "node not found"

node --max-old-space-size="$NODE_MB" --inspect=127.0.0.1:0 bench/gen-heap.js \
    --serve "$OUT/capture-v8.heapsnapshot" "$MB" 2>"$LOG" &
pid=$!
cleanup() {
  kill -9 "$pid" 2>/dev/null
  rm -f "$OUT"/capture-*.heapsnapshot "$OUT"/capture-*.heapsnapshot.tmp \
      "$OUT"/.hs-tmp.*
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP

# wait_log PATTERN SECONDS: until the log has PATTERN (the process alive).
wait_log() {
  local i=0
  until grep -q "$1" "$LOG"; do
    kill -0 "$pid" 2>/dev/null || die "the node process ended (see $LOG)"
    i=$((i + 1))
    [ $i -gt $(($2 * 10)) ] && die "timed out waiting for \"$1\" (see $LOG)"
    sleep 0.1
  done
}

echo "bench: capture: building a heap for a ${MB} MiB snapshot ..." >&2
wait_log '^gen-heap: ready' 900
port=$(sed -n 's|^Debugger listening on ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$LOG")
heap=$(sed -n 's/^gen-heap: ready heapUsed=\([0-9]*\)MB.*/\1/p' "$LOG")

# hs_capture N: time one capture; sets CAP_S, CAP_CPU (user+sys seconds of
# hs-capture itself), CAP_RSS (MiB), CAP_MIB.
hs_capture() {
  local f=$OUT/capture-hs$1.heapsnapshot
  echo "bench: capture: hs-capture, run $1 ..." >&2
  "$TIME" -f '%e %M %U %S' -o "$OUT/capture.time" \
      "$CAP" -q --timeout 1800 --inspect "127.0.0.1:$port" -o "$f" ||
      die "hs-capture failed"
  read -r CAP_S kb u sy <"$OUT/capture.time"
  CAP_CPU=$(awk -v u="$u" -v s="$sy" 'BEGIN{printf "%.2f", u+s}')
  CAP_RSS=$(awk -v k="$kb" 'BEGIN{printf "%.1f", k/1024}')
  CAP_MIB=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.1f", b/1048576}')
  rm -f "$f"
}

hs_capture 1
s1=$CAP_S rss1=$CAP_RSS mib1=$CAP_MIB cpu1=$CAP_CPU
echo "bench: capture: v8.writeHeapSnapshot() ..." >&2
kill -USR2 "$pid"
wait_log '^gen-heap: wrote' 1800
v8_s=$(sed -n 's/^gen-heap: wrote \([0-9.]*\) s .*/\1/p' "$LOG")
v8_mib=$(sed -n 's/^gen-heap: wrote [0-9.]* s \([0-9]*\) bytes/\1/p' "$LOG" |
    awk '{printf "%.1f", $1/1048576}')
rm -f "$OUT/capture-v8.heapsnapshot"
hs_capture 2
s2=$CAP_S rss2=$CAP_RSS mib2=$CAP_MIB cpu2=$CAP_CPU

TSV=$OUT/capture.tsv
printf 'what\tjs_heap_mib\tsnapshot_mib\tseconds\tcpu_s\tpeak_rss_mib\n' >"$TSV"
printf 'hs-capture-1\t%s\t%s\t%s\t%s\t%s\n' "$heap" "$mib1" "$s1" "$cpu1" "$rss1" >>"$TSV"
printf 'v8.writeHeapSnapshot\t%s\t%s\t%s\t-\t-\n' "$heap" "$v8_mib" "$v8_s" >>"$TSV"
printf 'hs-capture-2\t%s\t%s\t%s\t%s\t%s\n' "$heap" "$mib2" "$s2" "$cpu2" "$rss2" >>"$TSV"
echo
echo "hs-capture against v8.writeHeapSnapshot() on one process (JS heap $heap MiB):"
column -t -s "$(printf '\t')" "$TSV"
awk -v a="$s1" -v b="$s2" -v v="$v8_s" 'BEGIN{
  printf "hs-capture time / v8.writeHeapSnapshot time: %.2fx and %.2fx (target <= 1)\n", a/v, b/v }'

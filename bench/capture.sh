#!/usr/bin/env bash
# bench/capture.sh: hs-capture against v8.writeHeapSnapshot() on the same
# Node process (the last step of make bench; see bench/README.md).
#
# A node process builds the benchmark heap (bench/gen-heap.js --serve,
# HS_BENCH_CAPTURE_MB of snapshot, 1000 by default: about 0.7 GiB of JS
# heap) with its inspector open.  First one snapshot that is not timed
# (the first snapshot of a process costs more, whoever takes it).  Then
# HS_BENCH_CAPTURE_ROUNDS rounds (3 by default), each one snapshot taken by
# hs-capture to a file and one the process writes itself with
# v8.writeHeapSnapshot() (on SIGUSR2), in turn write first and capture
# first.  Prints every run, the medians and the median of the rounds'
# ratios, and writes bench/out/capture.tsv.  hs-capture runs with its
# defaults (a garbage collection first) and -q, and HS_BENCH_CAPTURE_ARGS
# if set (e.g. --no-gc), timed by GNU time (wall, its own user+system CPU,
# peak RSS); the write is timed inside the process.  The snapshots are
# removed.
set -u
cd "$(dirname "$0")/.." || exit 1
MB=${HS_BENCH_CAPTURE_MB:-1000}
ROUNDS=${HS_BENCH_CAPTURE_ROUNDS:-3}
CAP=${HS_CAPTURE:-./hs-capture}
CAP_ARGS=${HS_BENCH_CAPTURE_ARGS:-}
NODE_MB=${HS_BENCH_NODE_MB:-4096}
OUT=bench/out
TIME=/usr/bin/time
LOG=$OUT/capture-node.log
TSV=$OUT/capture.tsv
mkdir -p "$OUT"

die() { echo "bench: capture: $*" >&2; exit 1; }
[ -x "$CAP" ] || { echo "bench: NOTE: $CAP not found; capture not timed."; exit 0; }
command -v node >/dev/null || die "node not found"
case $ROUNDS in ''|*[!0-9]*|0) die "HS_BENCH_CAPTURE_ROUNDS: expected a count" ;; esac

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

# wait_log PATTERN COUNT SECONDS: until the log has COUNT lines matching
# PATTERN (the process alive).
wait_log() {
  local i=0
  until [ "$(grep -c "$1" "$LOG")" -ge "$2" ]; do
    kill -0 "$pid" 2>/dev/null || die "the node process ended (see $LOG)"
    i=$((i + 1))
    [ $i -gt $(($3 * 10)) ] && die "timed out waiting for \"$1\" (see $LOG)"
    sleep 0.1
  done
}

echo "bench: capture: building a heap for a ${MB} MiB snapshot ..." >&2
wait_log '^gen-heap: ready' 1 900
port=$(sed -n 's|^Debugger listening on ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$LOG")
heap=$(sed -n 's/^gen-heap: ready heapUsed=\([0-9]*\)MB.*/\1/p' "$LOG")

mib() { awk -v b="$1" 'BEGIN{printf "%.1f", b/1048576}'; }

# hs_capture: one capture to a file; sets S (wall seconds), CPU (user+sys
# seconds of hs-capture itself), RSS (MiB), SIZE (MiB).
hs_capture() {
  local f=$OUT/capture-hs.heapsnapshot kb u sy
  "$TIME" -f '%e %M %U %S' -o "$OUT/capture.time" \
      "$CAP" -q $CAP_ARGS --timeout 1800 --inspect "127.0.0.1:$port" \
      -o "$f" ||
      die "hs-capture failed"
  read -r S kb u sy <"$OUT/capture.time"
  CPU=$(awk -v u="$u" -v s="$sy" 'BEGIN{printf "%.2f", u+s}')
  RSS=$(awk -v k="$kb" 'BEGIN{printf "%.1f", k/1024}')
  SIZE=$(mib "$(stat -c %s "$f")")
  rm -f "$f"
}

# v8_write: the process writes one itself; sets S and SIZE.
writes=0
v8_write() {
  writes=$((writes + 1))
  kill -USR2 "$pid"
  wait_log '^gen-heap: wrote' "$writes" 1800
  S=$(sed -n 's/^gen-heap: wrote \([0-9.]*\) s .*/\1/p' "$LOG" | tail -n 1)
  SIZE=$(mib "$(sed -n 's/^gen-heap: wrote [0-9.]* s \([0-9]*\) bytes/\1/p' \
      "$LOG" | tail -n 1)")
  rm -f "$OUT/capture-v8.heapsnapshot"
}

echo "bench: capture: a first snapshot, not timed ..." >&2
hs_capture

printf 'what\tround\torder\tjs_heap_mib\tsnapshot_mib\tseconds\tcpu_s\tpeak_rss_mib\tratio\n' >"$TSV"
for r in $(seq "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="write first"; else order="capture first"; fi
  for step in 1 2; do
    if { [ "$order" = "write first" ] && [ $step = 1 ]; } ||
       { [ "$order" = "capture first" ] && [ $step = 2 ]; }; then
      echo "bench: capture: round $r/$ROUNDS, v8.writeHeapSnapshot() ..." >&2
      v8_write
      w_s=$S w_mib=$SIZE
    else
      echo "bench: capture: round $r/$ROUNDS, hs-capture ..." >&2
      hs_capture
      c_s=$S c_mib=$SIZE c_cpu=$CPU c_rss=$RSS
    fi
  done
  ratio=$(awk -v a="$c_s" -v b="$w_s" 'BEGIN{printf "%.3f", a/b}')
  printf 'v8.writeHeapSnapshot\t%s\t%s\t%s\t%s\t%s\t-\t-\t-\n' \
      "$r" "$order" "$heap" "$w_mib" "$w_s" >>"$TSV"
  printf 'hs-capture\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
      "$r" "$order" "$heap" "$c_mib" "$c_s" "$c_cpu" "$c_rss" "$ratio" >>"$TSV"
done

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.10g\n", (a[NR/2]+a[NR/2+1])/2}'; }
# col_median WHAT COLUMN: the median of that column over WHAT's runs.
col_median() {
  awk -F '\t' -v w="$1" -v c="$2" '$1 == w && $2 != "median" {print $c}' \
      "$TSV" | median
}
m_cap=$(col_median hs-capture 6)
m_wr=$(col_median v8.writeHeapSnapshot 6)
m_ratio=$(col_median hs-capture 9)
printf 'v8.writeHeapSnapshot\tmedian\t-\t%s\t%s\t%s\t-\t-\t-\n' "$heap" \
    "$(col_median v8.writeHeapSnapshot 5)" "$m_wr" >>"$TSV"
printf 'hs-capture\tmedian\t-\t%s\t%s\t%s\t%s\t%s\t%s\n' "$heap" \
    "$(col_median hs-capture 5)" "$m_cap" "$(col_median hs-capture 7)" \
    "$(col_median hs-capture 8)" "$m_ratio" >>"$TSV"

echo
echo "hs-capture${CAP_ARGS:+ $CAP_ARGS} against v8.writeHeapSnapshot() on one process (JS heap $heap MiB, $ROUNDS rounds after one untimed snapshot):"
column -t -s "$(printf '\t')" "$TSV"
echo "medians: hs-capture $m_cap s, v8.writeHeapSnapshot $m_wr s;" \
    "median of the rounds' ratios (hs-capture / write): ${m_ratio}x (target <= 1)"

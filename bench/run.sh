#!/usr/bin/env bash
# Benchmark harness for hs-summarize (body of `make bench`). See bench/README.md.
#
# Environment:
#   HS_BENCH_SIZES    snapshot sizes in MiB to generate/measure (default "100 1000")
#   HS_BENCH_RUNS     runs per measurement, median is reported (default 3);
#                     json_verify and hs-summarize take turns
#   HS_BENCH_LONGSTR  1 (default) also measure heap-longstr (100 MiB + one 64 MiB string); 0 skips it
#   HS_BENCH_REGEN    1 = regenerate snapshots even if cached in bench/out/
#   HS_BENCH_NODE_MB  --max-old-space-size for the generator (default 4096)
#   HS_SUMMARIZE      the binary to measure (default ./hs-summarize)
#   HS_DIFF           hs-diff, timed on two summaries of each sized snapshot
#                     (default ./hs-diff)
#   HS_BENCH_DIFF     1 (default) also time hs-diff; 0 skips it
#   HS_BENCH_CAPTURE  1 (default) also time hs-capture against
#                     v8.writeHeapSnapshot (bench/capture.sh); 0 skips it
#   HS_BENCH_CAPTURE_MB  snapshot size of that process (default 1000)
#   HS_BENCH_CAPTURE_ROUNDS  rounds of one capture and one write (default 3)
#   HS_BENCH_CAPTURE_ARGS  more options for hs-capture (e.g. --no-gc)
set -u
cd "$(dirname "$0")/.." || exit 1

SIZES=${HS_BENCH_SIZES:-100 1000}
LONGSTR=${HS_BENCH_LONGSTR:-1}
NODE_MB=${HS_BENCH_NODE_MB:-4096}
HS=${HS_SUMMARIZE:-./hs-summarize}
HSDIFF=${HS_DIFF:-./hs-diff}
BENCH_DIFF=${HS_BENCH_DIFF:-1}
OUT=bench/out
TIME=/usr/bin/time
JV=${HS_JSON_VERIFY:-json_verify}
mkdir -p "$OUT"

die() { echo "bench: $*" >&2; exit 1; }
command -v node >/dev/null || die "node not found"
command -v "$JV" >/dev/null || die "json_verify (yajl-tools) not found"
[ -x "$TIME" ] || die "GNU time not found at $TIME"

now() { date +%s.%N; }
fsize() { stat -c %s "$1"; }

# ---- 1. generate (cached) ------------------------------------------------
t_gen0=$(now)
gen() { # gen FILE TARGET_MB [extra args]
  local f=$1; shift
  if [ -s "$f" ] && [ "${HS_BENCH_REGEN:-0}" != 1 ]; then
    echo "bench: reusing $f ($(( $(fsize "$f") / 1048576 )) MiB)"
    return 0
  fi
  echo "bench: generating $f ..."
  rm -f "$f" "$f.tmp"
  node --max-old-space-size="$NODE_MB" bench/gen-heap.js "$f" "$@" || die "generator failed for $f"
}
files=()
for n in $SIZES; do
  gen "$OUT/heap-${n}mb.heapsnapshot" "$n"
  files+=("$OUT/heap-${n}mb.heapsnapshot")
done
if [ "$LONGSTR" = 1 ]; then
  gen "$OUT/heap-longstr.heapsnapshot" 100 --long-string
  files+=("$OUT/heap-longstr.heapsnapshot")
fi
t_gen1=$(now)

# ---- 2. measure ---------------------------------------------------------
have_hs=1
status=0
if [ ! -x "$HS" ]; then
  have_hs=0
  echo "bench: NOTE: $HS not found (run 'make' first); measuring json_verify only."
fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "NA"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# measure RUNS CMD... -> prints "median_seconds median_maxrss_kb", or "FAIL"
measure() {
  local runs=$1; shift
  local tf; tf=$(mktemp)
  local ts=() rs=() i
  for ((i = 0; i < runs; i++)); do
    if ! "$TIME" -f '%e %M' -o "$tf" "$@"; then
      echo "bench: command failed: $*" >&2; rm -f "$tf"; echo FAIL; return
    fi
    read -r s r < <(tail -n 1 "$tf")
    ts+=("$s"); rs+=("$r")
  done
  rm -f "$tf"
  echo "$(printf '%s\n' "${ts[@]}" | median) $(printf '%s\n' "${rs[@]}" | median)"
}

# in_turns RUNS -> "jv_s hs_s hs_kb": json_verify and hs-summarize on $f
# (hs-summarize writing $hss), one run of each in turn, so that both see the
# machine as it is that minute (this VM's speed drifts by half from one
# hour, and sometimes one minute, to the next); the medians, or FAIL.
in_turns() {
  local runs=$1 i j h k jt=() ht=() hk=()
  for ((i = 0; i < runs; i++)); do
    read -r j _ < <(measure 1 sh -c "exec $JV -q < \"\$1\"" jv "$f")
    jt+=("$j")
    [ $have_hs = 1 ] || continue
    read -r h k < <(measure 1 "$HS" -q -o "$hss" "$f")
    [ "$h" = FAIL ] && { echo "$(printf '%s\n' "${jt[@]}" | median) FAIL -"; return; }
    ht+=("$h"); hk+=("$k")
  done
  echo "$(printf '%s\n' "${jt[@]}" | median)" \
    "$( [ $have_hs = 1 ] && printf '%s\n' "${ht[@]}" | median || echo -)" \
    "$( [ $have_hs = 1 ] && printf '%s\n' "${hk[@]}" | median || echo -)"
}

TSV=$OUT/results.tsv
printf 'file\tsize_mib\tjv_s\tjv_mibps\ths_s\ths_mibps\ths_over_jv\trss_mib\trss_over_file\tsummary_bytes\tsummary_pct\truns\n' >"$TSV"
fmt='%-28s %8s %4s | %7s %7s | %7s %7s %6s | %8s %6s | %10s %7s\n'
rows=()
declare -A HS_T JV_T SZ
t_m0=$(now)
for f in "${files[@]}"; do
  b=$(basename "$f" .heapsnapshot)
  bytes=$(fsize "$f")
  mib=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
  runs=${HS_BENCH_RUNS:-3}
  echo "bench: measuring $b ($mib MiB, $runs run(s) of each, in turn) ..." >&2
  cat "$f" >/dev/null   # warm the page cache so both tools see the same I/O

  hss=$OUT/$b.hss
  rm -f "$hss"
  read -r jv_s hs_s hs_kb < <(in_turns "$runs")
  jv_mbps=$(awk -v m="$mib" -v s="$jv_s" 'BEGIN{ if (s+0>0) printf "%.0f", m/s; else print "-" }')

  hs_mbps=- ratio=- rss=- rssr=- sb=- sp=-
  if [ $have_hs = 1 ]; then
    if [ "$hs_s" != FAIL ]; then
      hs_mbps=$(awk -v m="$mib" -v s="$hs_s" 'BEGIN{ if (s+0>0) printf "%.0f", m/s; else print "-" }')
      ratio=$(awk -v a="$hs_s" -v b="$jv_s" 'BEGIN{ if (b+0>0) printf "%.2f", a/b; else print "-" }')
      rss=$(awk -v k="$hs_kb" 'BEGIN{printf "%.0f", k/1024}')
      rssr=$(awk -v k="$hs_kb" -v b="$bytes" 'BEGIN{printf "%.2f", k*1024/b}')
      if [ -f "$hss" ]; then
        sb=$(fsize "$hss")
        sp=$(awk -v s="$sb" -v b="$bytes" 'BEGIN{printf "%.3f%%", 100*s/b}')
      fi
      HS_T[$b]=$hs_s
    else
      hs_s=FAIL; status=1
    fi
  fi
  JV_T[$b]=$jv_s; SZ[$b]=$mib
  rows+=("$(printf "$fmt" "$b" "$mib" "$runs" "$jv_s" "$jv_mbps" "$hs_s" "$hs_mbps" "$ratio" "$rss" "$rssr" "$sb" "$sp")")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$mib" "$jv_s" "$jv_mbps" "$hs_s" "$hs_mbps" "$ratio" "$rss" "$rssr" "$sb" "${sp%\%}" "$runs" >>"$TSV"
done
t_m1=$(now)

# ---- 3. report ----------------------------------------------------------
echo
printf "$fmt" file MiB runs jv_s jv_MiB/s hs_s hs_MiB/s hs/jv RSS_MiB RSS/sz summary_B summary%
printf '%s\n' "${rows[@]}"
echo

ratio_line() { # label A B -> "label  A/B x"
  awk -v l="$1" -v a="$2" -v b="$3" 'BEGIN{ if (a+0>0 && b+0>0) printf "%-48s %6.2fx\n", l, a/b }'
}
if [ -n "${JV_T[heap-1000mb]:-}" ] && [ -n "${JV_T[heap-100mb]:-}" ]; then
  ratio_line "file size        1000mb/100mb:" "${SZ[heap-1000mb]}" "${SZ[heap-100mb]}"
  ratio_line "json_verify time 1000mb/100mb:" "${JV_T[heap-1000mb]}" "${JV_T[heap-100mb]}"
  if [ -n "${HS_T[heap-1000mb]:-}" ] && [ -n "${HS_T[heap-100mb]:-}" ]; then
    ratio_line "hs-summarize time 1000mb/100mb (target <= 11):" "${HS_T[heap-1000mb]}" "${HS_T[heap-100mb]}"
  fi
fi
if [ -n "${HS_T[heap-longstr]:-}" ] && [ -n "${HS_T[heap-100mb]:-}" ]; then
  # longstr = the same 100 MiB heap + one 64 MiB string: its MiB/s should not
  # be lower than heap-100mb's (ratio >= 1.0).
  awk -v a="${HS_T[heap-longstr]}" -v sa="${SZ[heap-longstr]}" -v b="${HS_T[heap-100mb]}" -v sb="${SZ[heap-100mb]}" \
    'BEGIN{ if (a+0>0 && b+0>0) printf "%-48s %6.2fx\n", "hs-summarize MiB/s longstr/100mb (target >= 1):", (sa/a)/(sb/b) }'
  ratio_line "hs-summarize time longstr/100mb:" "${HS_T[heap-longstr]}" "${HS_T[heap-100mb]}"
fi

# ---- 4. hs-diff on summaries ----------------------------------------------
# The summary of each sized snapshot, compared with itself: the ids of every
# object are compared (one session), the costliest case, as in CI where both
# summaries come from one process.  The summaries are those step 2 made; a
# summary missing or older than its snapshot is made once here.
t_d0=$(now)
DTSV=$OUT/diff.tsv
drows=()
declare -A DIFF_T
if [ "$BENCH_DIFF" = 1 ] && [ ! -x "$HSDIFF" ]; then
  echo "bench: NOTE: $HSDIFF not found (run 'make' first); hs-diff not timed."
elif [ "$BENCH_DIFF" = 1 ]; then
  printf 'file\tsummary_bytes\tdiff_s\tdiff_rss_mib\truns\n' >"$DTSV"
  dfmt='%-28s %10s %4s | %7s %8s\n'
  for n in $SIZES; do
    b=heap-${n}mb
    hss=$OUT/$b.hss
    if [ ! -s "$hss" ] || [ "$OUT/$b.heapsnapshot" -nt "$hss" ]; then
      if [ $have_hs = 0 ]; then
        echo "bench: NOTE: no summary of $b and no $HS; hs-diff not timed on it."
        continue
      fi
      echo "bench: summarizing $b for hs-diff ..." >&2
      "$HS" -q -o "$hss" "$OUT/$b.heapsnapshot" || { status=1; continue; }
    fi
    runs=${HS_BENCH_RUNS:-3}
    echo "bench: timing hs-diff on $b.hss ($runs run(s)) ..." >&2
    read -r d_s d_kb < <(measure "$runs" "$HSDIFF" -q -o /dev/null "$hss" "$hss")
    if [ "$d_s" = FAIL ]; then
      d_rss=-; status=1
    else
      d_rss=$(awk -v k="$d_kb" 'BEGIN{printf "%.0f", k/1024}')
      DIFF_T[$b]=$d_s
    fi
    sb=$(fsize "$hss")
    drows+=("$(printf "$dfmt" "$b" "$sb" "$runs" "$d_s" "$d_rss")")
    printf '%s\t%s\t%s\t%s\t%s\n' "$b" "$sb" "$d_s" "$d_rss" "$runs" >>"$DTSV"
  done
fi
t_d1=$(now)
if [ ${#drows[@]} -gt 0 ]; then
  echo
  echo "hs-diff -q -o /dev/null X.hss X.hss (target: well under 1 s on heap-1000mb):"
  printf "$dfmt" file summary_B runs diff_s RSS_MiB
  printf '%s\n' "${drows[@]}"
  if [ -n "${DIFF_T[heap-1000mb]:-}" ] && [ -n "${DIFF_T[heap-100mb]:-}" ]; then
    echo
    ratio_line "hs-diff time 1000mb/100mb:" "${DIFF_T[heap-1000mb]}" "${DIFF_T[heap-100mb]}"
  fi
fi

# ---- 5. hs-capture against v8.writeHeapSnapshot --------------------------
if [ "${HS_BENCH_CAPTURE:-1}" = 1 ]; then
  bash bench/capture.sh || status=1
fi

awk -v g0="$t_gen0" -v g1="$t_gen1" -v m0="$t_m0" -v m1="$t_m1" -v d0="$t_d0" -v d1="$t_d1" \
  -v f="$TSV$([ ${#drows[@]} -gt 0 ] && echo " and $DTSV")" \
  'BEGIN{printf "\nbench: generation %.0f s, measurement %.0f s, hs-diff %.0f s; results in %s\n", g1-g0, m1-m0, d1-d0, f}'
exit $status

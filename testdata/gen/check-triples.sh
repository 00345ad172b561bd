#!/usr/bin/env bash
# Check the snapshot triples against their ground truth: recompute, from
# testdata/snapshots/triples/<scenario>-{baseline,target,final}.heapsnapshot.zst
# with ./hs-summarize and jq, every figure of testdata/expected/triples.tsv,
# print them, and exit 1 on any mismatch (2 on a usage or tool error).
#
# Usage (from anywhere, after make):
#   testdata/gen/check-triples.sh [TSV]
#   HS_SUMMARIZE=/path/to/hs-summarize testdata/gen/check-triples.sh
#
# For a row of kind "class", the objects of CLASS are those of every class
# record named CLASS (any key), their ids taken from the summary's ids
# records (delta-encoded: per record, the first id absolute, then
# differences). With B, T, F their id sets in baseline, target and final:
#   new_in_target = |T - B|, new_in_final = |F - T|,
#   leaked = |F & (T - B)|  (allocated between baseline and target and
#   still alive in final: MemLab's leak set).
# Also checked: the count of each class record equals its number of ids, and
# every new id of the target (final) is above the baseline's (target's)
# max_js_object_id, as V8 numbers objects in allocation order of first
# sighting.
# For a row of kind "closure", CLASS is a function name and only the counts
# are checked, from the closure records (summaries have no ids per
# function); the id columns must be "-".

set -euo pipefail

GEN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TESTDATA="$(dirname "$GEN_DIR")"
ROOT="$(dirname "$TESTDATA")"
HS_SUMMARIZE="${HS_SUMMARIZE:-$ROOT/hs-summarize}"
TSV="${1:-$TESTDATA/expected/triples.tsv}"
SNAPS="$TESTDATA/snapshots/triples"

for tool in jq zstd comm sort; do
  command -v "$tool" >/dev/null || { echo "check-triples: missing tool: $tool" >&2; exit 2; }
done
[ -x "$HS_SUMMARIZE" ] || { echo "check-triples: no $HS_SUMMARIZE (run make)" >&2; exit 2; }
[ -r "$TSV" ] || { echo "check-triples: no $TSV" >&2; exit 2; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/hs-check-triples.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# summary SCENARIO PHASE: path of the (cached) decompressed summary.
summary() {
  local hss="$TMP/$1-$2.jsonl" snap="$SNAPS/$1-$2.heapsnapshot.zst"
  if [ ! -s "$hss" ]; then
    [ -r "$snap" ] || { echo "check-triples: missing $snap" >&2; return 1; }
    "$HS_SUMMARIZE" -q --level 1 "$snap" | zstd -dcq > "$hss"
  fi
  printf '%s\n' "$hss"
}

# ids HSS NAME: sorted ids of the objects of every class named NAME; fails
# when a class record's count differs from its number of ids.
ids() {
  jq -n -r --arg n "$2" '
    [inputs] as $r
    | ($r | map(select(.type == "class" and .name == $n) | {(.key): .count}) | add // {}) as $keys
    | ($r | map(select(.type == "ids" and (.key as $k | $keys | has($k))))
          | map({key, ids: (reduce .ids[] as $d ([]; . + [(if length == 0 then 0 else .[-1] end) + $d]))})) as $recs
    | ($keys | to_entries[] | .key as $k | .value as $c
        | ([$recs[] | select(.key == $k) | .ids | length] | add // 0) as $got
        | if $got != $c then error("class \($k): count \($c) but \($got) ids") else empty end),
      ($recs[].ids[])' "$1" | LC_ALL=C sort
}

count() { # HSS NAME: objects of the classes named NAME
  jq -n --arg n "$2" '[inputs | select(.type == "class" and .name == $n) | .count] | add // 0' "$1"
}
closures() { # HSS NAME: closures of functions named NAME
  jq -n --arg n "$2" '[inputs | select(.type == "closure" and .function == $n) | .count] | add // 0' "$1"
}
max_js_id() { jq -n '[inputs | select(.type == "header") | .max_js_object_id][0]' "$1"; }
nlines() { if [ -s "$1" ]; then wc -l < "$1" | tr -d ' '; else echo 0; fi; }

fail=0
printf 'scenario\tkind\tclass\tbaseline\ttarget\tfinal\tnew_in_target\tnew_in_final\tleaked\tleak\tcheck\n'
while IFS=$'\t' read -r sc kind cls eb et ef ent enf elk eleak rest; do
  case "$sc" in ''|'#'*|scenario) continue ;; esac
  b="$(summary "$sc" baseline)"; t="$(summary "$sc" target)"; f="$(summary "$sc" final)"
  note=
  case "$kind" in
    class)
      cb="$(count "$b" "$cls")"; ct="$(count "$t" "$cls")"; cf="$(count "$f" "$cls")"
      ids "$b" "$cls" > "$TMP/B"; ids "$t" "$cls" > "$TMP/T"; ids "$f" "$cls" > "$TMP/F"
      LC_ALL=C comm -13 "$TMP/B" "$TMP/T" > "$TMP/TnotB"
      LC_ALL=C comm -13 "$TMP/T" "$TMP/F" > "$TMP/FnotT"
      LC_ALL=C comm -12 "$TMP/F" "$TMP/TnotB" > "$TMP/leak"
      nt="$(nlines "$TMP/TnotB")"; nf="$(nlines "$TMP/FnotT")"; lk="$(nlines "$TMP/leak")"
      # New objects get ids above every id given out at the previous snapshot.
      mb="$(max_js_id "$b")"; mt="$(max_js_id "$t")"
      if [ "$nt" -gt 0 ] && [ "$(sort -n "$TMP/TnotB" | head -1)" -le "$mb" ]; then
        note=" (new id in target <= baseline max_js_object_id $mb)"
      fi
      if [ "$nf" -gt 0 ] && [ "$(sort -n "$TMP/FnotT" | head -1)" -le "$mt" ]; then
        note="$note (new id in final <= target max_js_object_id $mt)"
      fi
      ;;
    closure)
      cb="$(closures "$b" "$cls")"; ct="$(closures "$t" "$cls")"; cf="$(closures "$f" "$cls")"
      nt=-; nf=-; lk=-
      ;;
    *) echo "check-triples: bad kind '$kind' for $sc" >&2; exit 2 ;;
  esac
  # A leak: objects allocated between baseline and target are still alive
  # in the final snapshot.
  if [ "$lk" = - ]; then
    if [ "$cf" -gt "$cb" ]; then leak=yes; else leak=no; fi
  elif [ "$lk" -gt 0 ]; then leak=yes; else leak=no; fi
  got="$cb $ct $cf $nt $nf $lk $leak"
  want="$eb $et $ef $ent $enf $elk $eleak"
  if [ "$got" = "$want" ] && [ -z "$note" ]; then
    status=ok
  else
    status="MISMATCH (expected $want)$note"
    fail=1
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
    "$sc" "$kind" "$cls" "$cb" "$ct" "$cf" "$nt" "$nf" "$lk" "$leak" "$status"
done < "$TSV"

if [ "$fail" -ne 0 ]; then
  echo "check-triples: MISMATCH against $TSV" >&2
  exit 1
fi
echo "check-triples: all rows of $TSV match" >&2

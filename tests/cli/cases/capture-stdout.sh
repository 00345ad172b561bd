# hs-capture writes to stdout by default, straight into hs-summarize, and
# takes the inspector's address from HS_INSPECT; --no-gc still captures,
# and V8's own collection leaves out the 5000 objects just let go (the
# first snapshot of the process, so no collection came before it)
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
start_planted "$(node_bin 20)" 4321 0 5000
hs-capture --no-gc --inspect 127.0.0.1:$PORT >"$TMP/nogc.heapsnapshot"
echo "exit $?"
planted "$TMP/nogc.heapsnapshot"
hs-summarize -q "$TMP/nogc.heapsnapshot" | hs-report --format tsv - |
    awk -F '\t' '$1 == "DroppedThing" { n = $3 } END { print "DroppedThing", n + 0 }'
HS_INSPECT=127.0.0.1:$PORT hs-capture | hs-summarize -q -o "$TMP/s.hss"
echo "exit $?"
hs-report --format tsv "$TMP/s.hss" | awk -F '\t' '$1 == "PlantedThing" { print $1, $3 }'

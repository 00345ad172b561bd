# --before-after with --out-dir: a "before" and an "after" snapshot named
# session_<id>_<label>_<time>.heapsnapshot under dir/<service>/, mode 0600;
# --pipe summarizes each (hs-summarize reads the session and label back
# from the name) and the raw snapshots are removed; the hooks run around
# the window with the session in their environment
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
start_planted "$(node_bin 20)" 1234
cd "$TMP" || exit 1
start=$(date +%s)
hs-capture -q --inspect 127.0.0.1:$PORT --out-dir snaps --session run-1 \
    --service-name api --before-after 2s \
    --before-cmd 'echo "before $HS_SESSION_ID $HS_SERVICE_NAME" >>hooks.log' \
    --after-cmd 'echo "after $HS_SESSION_ID" >>hooks.log' \
    --pipe 'hs-summarize -q -o {}.hss {}.heapsnapshot' >stdout
echo "exit $?"
took=$(($(date +%s) - start))
[ $took -ge 2 ] && echo "waited between the snapshots"
cat hooks.log
echo "stdout: $(wc -c <stdout) bytes"
find snaps | sort | sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'
stat -c '%a %n' snaps snaps/api | sort
for f in snaps/api/*.hss; do
	zstd -dc "$f" | jq -r 'select(.type == "header") |
	    "\(.session) \(.label) \(.captured | test("^20[0-9-]+T[0-9:]+Z$"))"'
	hs-report --format tsv "$f" | awk -F '\t' '$1 == "PlantedThing" { print $1, $3 }'
done

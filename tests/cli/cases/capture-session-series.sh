# --interval and --count take a series, named label-1, label-2...; the
# environment gives the defaults (HS_INSPECT, HS_OUT_DIR, HS_SESSION_ID,
# HS_LABEL, HS_STRATEGY); each kept file's path is printed on stdout;
# with --pipe and --keep both the summary and the snapshot stay
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
start_planted "$(node_bin 20)" 77
cd "$TMP" || exit 1
HS_INSPECT=127.0.0.1:$PORT HS_OUT_DIR=out HS_SESSION_ID=s1 HS_LABEL=load \
    hs-capture -q --interval 100ms --count 3 --service-name web \
    --pipe 'hs-summarize -q -o {}.hss' --keep |
    sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'
echo "exit $?"
ls out/web | sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'
for f in out/web/*.heapsnapshot; do planted "$f"; done
HS_INSPECT=127.0.0.1:$PORT HS_OUT_DIR=out2 HS_STRATEGY=before-after:100ms \
    hs-capture -q --session s2 | sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'
echo "exit $?"
# A single snapshot in a session: label "snapshot", service "node".
hs-capture -q --inspect 127.0.0.1:$PORT --out-dir out3 --session s3 |
    sed 's/_[0-9]\{8\}T[0-9]\{6\}Z\./_TIME./'

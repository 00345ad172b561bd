# hs-capture --inspect takes a snapshot from a live Node 22 process, written
# atomically with mode 0600; hs-summarize finds the 1234 planted objects
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node jq zstd
capture_major 22

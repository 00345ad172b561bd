# refuses to write compressed data to a terminal (needs script(1) for a pty)
. tests/cli/lib.sh
need script
script -qec true /dev/null >/dev/null 2>&1 </dev/null ||
    { echo "script(1) cannot open a pty here" >&2; exit 77; }
script -qec "hs-summarize $DATA/tiny.heapsnapshot; echo exit \$?" /dev/null \
    </dev/null | tr -d '\r'

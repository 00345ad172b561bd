# an unknown option: usage on stderr, nothing on stdout, exit 2
hs-summarize --no-such-option testdata/snapshots/mixed-node22.heapsnapshot.zst

# more than one file operand: usage on stderr, exit 2
hs-summarize testdata/snapshots/empty-node22.heapsnapshot.zst \
    testdata/snapshots/mixed-node22.heapsnapshot.zst

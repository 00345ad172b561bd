# the header's captured, session and label come from the file name (Node's
# --heapsnapshot-signal names, and session_<id>_<label>_<time> names);
# options override them
. tests/cli/lib.sh
p=$(plain empty-node22)
mv "$p" "$TMP/Heap.20240811.103000.4242.0.001.heapsnapshot"
hs-summarize "$TMP/Heap.20240811.103000.4242.0.001.heapsnapshot" |
    zstd -dc | head -n 1 | jq -c '{label: .label, session: .session, captured: .captured}'
cp "$(snap empty-node22)" "$TMP/session_abc_before_20240811T103000Z.heapsnapshot.zst"
hs-summarize "$TMP/session_abc_before_20240811T103000Z.heapsnapshot.zst" |
    zstd -dc | head -n 1 | jq -c '{label: .label, session: .session, captured: .captured}'
hs-summarize --label after --session s2 --captured 2025-01-02T03:04:05Z \
    "$TMP/session_abc_before_20240811T103000Z.heapsnapshot.zst" |
    zstd -dc | head -n 1 | jq -c '{label: .label, session: .session, captured: .captured}'
hs-summarize "$(snap empty-node22)" | zstd -dc | head -n 1 |
    jq -c '{label: .label, session: .session, captured: .captured}'

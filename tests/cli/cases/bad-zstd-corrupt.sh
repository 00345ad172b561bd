# a zstd frame with bytes overwritten in the middle
. tests/cli/lib.sh
cp "$(snap mixed-node22)" "$TMP/in.heapsnapshot.zst"
printf 'XXXXXXXXXXXXXXXX' | dd of="$TMP/in.heapsnapshot.zst" bs=1 seek=300000 \
    conv=notrunc 2>/dev/null
bad in.heapsnapshot.zst

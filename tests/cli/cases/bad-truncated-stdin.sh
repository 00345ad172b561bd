# a truncated snapshot on standard input is named "(stdin)"
. tests/cli/lib.sh
zstd -dc "$(snap mixed-node22)" | head -c 2000000 | hs-summarize -o "$TMP/out.hss"
echo "exit $?"
ls -A "$TMP"

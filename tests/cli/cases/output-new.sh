# -o FILE writes a complete summary with the umask's mode, no temporary left
. tests/cli/lib.sh
umask 022
hs-summarize -o "$TMP/out.hss" "$(snap empty-node22)"
echo "exit $?"
zstd -tq "$TMP/out.hss" && echo "zstd -t: ok"
hs-summarize "$(snap empty-node22)" | cmp - "$TMP/out.hss" && echo "same as stdout"
stat -c '%a %n' "$TMP"/* | sed "s|$TMP/||"
ls -A "$TMP"

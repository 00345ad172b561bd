# reading through a pipe (chunks of whatever size arrives) gives the same
# records as reading the file; the unit tests feed 1 byte at a time
. tests/cli/lib.sh
p=$(plain alloc-node24)
hs-summarize "$p" >"$TMP/file.hss"
records "$TMP/file.hss" >"$TMP/want"
cat "$p" | hs-summarize >"$TMP/cat.hss"
dd if="$p" bs=4093 2>/dev/null | hs-summarize >"$TMP/dd.hss"
cat "$(snap alloc-node24)" | hs-summarize >"$TMP/catz.hss"
dd if="$(snap alloc-node24)" bs=1021 2>/dev/null | hs-summarize >"$TMP/ddz.hss"
for f in cat dd catz ddz; do
	records "$TMP/$f.hss" | cmp - "$TMP/want" && echo "$f: same records"
done

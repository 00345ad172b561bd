# --help and -h: usage and options on stdout, nothing on stderr, exit 0
hs-summarize --help >"$TMP/help" || exit 1
hs-summarize -h | cmp - "$TMP/help" || exit 1
cat "$TMP/help"

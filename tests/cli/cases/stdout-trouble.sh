# stdout on a full disk (/dev/full) or closed, for every tool and for
# --help and --version too: exit 2 and one "write error" line each; a
# reader that goes away (| head -1, or a pipe already closed) ends every
# tool quietly
. tests/cli/lib.sh
[ -w /dev/full ] || { echo "no /dev/full" >&2; exit 77; }
tiny=$DATA/tiny.heapsnapshot
hs-summarize -q -o "$TMP/t.hss" $tiny || exit 1
hs-diff -q -o "$TMP/t.hsd" "$TMP/t.hss" "$TMP/t.hss" || exit 1
for cmd in "hs-summarize $tiny" "hs-report $TMP/t.hss" \
    "hs-diff $TMP/t.hss $TMP/t.hss" "hs-diff -o - $TMP/t.hss $TMP/t.hss" \
    "hs-junit $TMP/t.hsd" "hs-summarize --help" "hs-report --help" \
    "hs-diff --help" "hs-junit --help" "hs-summarize --version" \
    "hs-report --version" "hs-diff --version" "hs-junit --version"; do
	$cmd >/dev/full
	echo "$cmd >/dev/full: exit $?"
	$cmd >&-
	echo "$cmd >&-: exit $?"
done

# quiet: exit 0, or killed by SIGPIPE (141 from the shell)
quiet() {
	case $1 in
	0 | 141) echo "$2: quiet" ;;
	*) echo "$2: exit $1" ;;
	esac
}
hs-summarize -q -o "$TMP/big.hss" "$(snap alloc-node24)" || exit 1
for cmd in "hs-report --format json --top 0 $TMP/big.hss" \
    "hs-report --format csv --top 0 $TMP/big.hss" "hs-summarize $tiny" \
    "hs-diff -o - $TMP/big.hss $TMP/big.hss" "hs-junit $TMP/t.hsd"; do
	{ $cmd; echo $? >"$TMP/st"; } | head -n 1 >/dev/null
	quiet "$(cat "$TMP/st")" "$cmd | head -n 1"
	{ sleep 0.3; $cmd; echo $? >"$TMP/st"; } | true
	quiet "$(cat "$TMP/st")" "$cmd | (gone)"
done

# every EXAMPLES command of every man page runs, from a scratch directory
# with the bundled test data, and exits 0 (so the pages cannot drift)
. tests/cli/lib.sh
need bash jq zstd
top=$PWD
ln -s "$top/testdata" "$TMP/testdata"
failed=0
for page in man/*.[1-9]; do
	# .Dl lines, and "$ " lines of literal displays; undo mdoc escapes.
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" |
	    sed -n -e 's/^\.Dl //p' -e 's/^\$ //p' |
	    sed -e 's/\\e/\\/g' -e 's/\\&//g' -e 's/\\-/-/g' >"$TMP/cmds"
	[ -s "$TMP/cmds" ] || { echo "$page: no EXAMPLES"; failed=1; }
	while IFS= read -r cmd; do
		(cd "$TMP" && PATH="$top:$PATH" bash -o pipefail -c "$cmd") \
		    >/dev/null 2>"$TMP/err" </dev/null ||
		    { echo "$page: failed: $cmd"; cat "$TMP/err"; failed=1; }
	done <"$TMP/cmds"
done
exit $failed

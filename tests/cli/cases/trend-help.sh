# --help on stdout, exit 0; --version
. tests/cli/lib.sh
hs-trend --help | head -n 3
hs-trend --version | sed 's/[0-9][0-9.]*$/VERSION/'

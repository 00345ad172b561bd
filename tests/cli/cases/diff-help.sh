# --help on stdout, exit 0; --version one line
hs-diff --help
hs-diff --version | sed 's/[0-9][0-9.]*$/VERSION/'

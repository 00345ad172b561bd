# --help on stdout, exit 0; --version one line
hs-junit --help
hs-junit --version | sed 's/[0-9][0-9.]*$/VERSION/'

# --version and -V: one line "hs-summarize VERSION" on stdout, exit 0
hs-summarize --version | sed 's/ [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*$/ VERSION/'
hs-summarize -V | sed 's/ [0-9][0-9]*\.[0-9][0-9]*\.[0-9][0-9]*$/ VERSION/'

# --redact with a regex PCRE2 rejects: exit 2, one line
hs-summarize --redact '(' tests/cli/cases/data/tiny.heapsnapshot

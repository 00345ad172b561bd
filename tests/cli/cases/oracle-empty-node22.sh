# hs-summarize agrees with DevTools on empty-node22
. tests/cli/lib.sh
oracle empty-node22

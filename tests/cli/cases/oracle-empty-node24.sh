# hs-summarize agrees with DevTools on empty-node24
. tests/cli/lib.sh
oracle empty-node24

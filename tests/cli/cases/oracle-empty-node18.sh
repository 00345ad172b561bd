# hs-summarize agrees with DevTools on empty-node18
. tests/cli/lib.sh
oracle empty-node18

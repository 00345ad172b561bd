# hs-summarize agrees with DevTools on empty-node20
. tests/cli/lib.sh
oracle empty-node20

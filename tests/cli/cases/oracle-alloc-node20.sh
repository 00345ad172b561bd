# hs-summarize agrees with DevTools on alloc-node20
. tests/cli/lib.sh
oracle alloc-node20

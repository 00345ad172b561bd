# hs-summarize agrees with DevTools on alloc-node18
. tests/cli/lib.sh
oracle alloc-node18

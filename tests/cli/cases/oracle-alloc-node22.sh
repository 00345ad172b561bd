# hs-summarize agrees with DevTools on alloc-node22
. tests/cli/lib.sh
oracle alloc-node22

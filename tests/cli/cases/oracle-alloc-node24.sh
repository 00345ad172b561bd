# hs-summarize agrees with DevTools on alloc-node24
. tests/cli/lib.sh
oracle alloc-node24

# hs-summarize agrees with DevTools on mixed-node22
. tests/cli/lib.sh
oracle mixed-node22

# hs-summarize agrees with DevTools on mixed-node18
. tests/cli/lib.sh
oracle mixed-node18

# hs-summarize agrees with DevTools on mixed-node24
. tests/cli/lib.sh
oracle mixed-node24

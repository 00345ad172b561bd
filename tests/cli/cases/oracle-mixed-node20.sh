# hs-summarize agrees with DevTools on mixed-node20
. tests/cli/lib.sh
oracle mixed-node20

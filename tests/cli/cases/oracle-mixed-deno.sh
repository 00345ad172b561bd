# hs-summarize agrees with DevTools on mixed-deno (Deno 2)
. tests/cli/lib.sh
oracle mixed-deno

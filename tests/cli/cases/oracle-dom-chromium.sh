# hs-summarize agrees with DevTools on dom-chromium (Chromium, detached DOM)
. tests/cli/lib.sh
oracle dom-chromium

# hs-report --format webhook: the message for a chat or incident webhook
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-diff -q -o none.hsd baseline.hss baseline.hss || exit 1
hs-report --format webhook --report-url 'https://ci.example.com/r?a=1&b="2"' leak.hsd || exit 1
hs-report --format webhook none.hsd || exit 1
hs-report --format webhook leak.hsd | jq -r '"\(.type) \(.status) \(.severity) reportUrl=\(has("reportUrl"))"'

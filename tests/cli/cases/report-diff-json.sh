# hs-report --format json on a diff: the shape dashboards read
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-diff -q --threshold 10KB -o pair.hsd baseline.hss target.hss
hs-report --format json leak.hsd >leak.json || exit 1
hs-report --format json pair.hsd >pair.json || exit 1
# Every field, with its JSON type.
jq -r '
    def shape: to_entries | map("\(.key):\(.value | type)") | join(" ");
    "top: \(keys_unsorted | join(" "))",
    "before: \(.before | shape)",
    "after: \(.after | shape)",
    "offender: \(.offenders[0] | shape)",
    "summary: \(.summary | shape)"' pair.json
echo "--- pair"
jq -c '.offenders[0] | {type, countBefore, countAfter, deltaCount, newCount, severity}' pair.json
jq -c '.summary | {totalGrowthMB, suspiciousGrowth, likelyLeakSource, confidence}' pair.json
echo "--- triple"
jq -r 'keys_unsorted | join(" ")' leak.json
jq -c '.offenders[0] | {type, deltaSize, newCount, leakedCount, leakedSize, growthRate, suspiciousRetainers}' leak.json
jq -c '[.offenders[] | select(.severity != "none") | .type]' leak.json
jq -r '"offenders: \(.offenders | length), recommendations: \(.summary.recommendations | length)"' leak.json
# The offenders are the diff's classes, in its order.
[ "$(jq -r '.offenders[].type' leak.json)" = \
    "$(zstd -dc leak.hsd | jq -r 'select(.type == "class") | .name')" ] &&
    echo "offenders in the diff's order"

# the pipelines users write: hs-diff's output, when it is not a terminal,
# is the diff itself (plain JSON lines), for hs-report and hs-junit
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq
triple array-leak
cd "$TMP" || exit 1
hs-diff --threshold 10KB baseline.hss final.hss >diff.jsonl
echo "hs-diff exit $?"
head -c 26 diff.jsonl; echo
hs-diff --threshold 10KB baseline.hss final.hss | hs-report --format json |
    jq -r '.offenders[0] | "\(.type) new=\(.newCount)"'
hs-diff --threshold 10KB baseline.hss final.hss | hs-junit >junit.xml
echo "hs-junit exit $?"
grep -c '<failure' junit.xml

# one operand, four operands, a bad size, a bad severity: usage or one
# line, exit 2 each
. tests/cli/lib.sh
hs-diff a.hss
echo "exit $?"
hs-diff a b c d
echo "exit $?"
hs-diff --threshold 10XB a b
echo "exit $?"
hs-diff --fail-on none a b
echo "exit $?"
hs-diff --growth -1 a b

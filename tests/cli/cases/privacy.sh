# a summary holds no string values: none of the strings mixed.js plants
# (testdata/gen/scenarios/mixed.js) is in the summary of its snapshot
. tests/cli/lib.sh
hs-summarize "$(snap mixed-node22)" | zstd -dc >"$TMP/s.json"
for s in user@example.com @example.com 'The quick brown fox' 'long string 1' \
    'cached value' product-1 'key:1' 'order-(' ключ 'has space' 'tab	here' \
    'tab\\there'; do
	echo "$s: $(grep -c -F -- "$s" "$TMP/s.json")"
done
# The strings are there in the snapshot (so the test can fail).
zstd -dc "$(snap mixed-node22)" | grep -c -F -e 'cached value 1' -e '@example.com'

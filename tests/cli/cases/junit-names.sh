# class names with markup, quotes, ampersands, control characters, "]]>",
# a lone surrogate, tabs and non-characters give a report valid against
# both schemas
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need xmllint
SCHEMAS=$(schemas) || exit 77
cd "$TMP" || exit 1
# names ROLE COUNT: a summary whose classes have the awkward names.
names() {
	printf '{"type":"header","format":"hs-summary","version":1,"source":{"name":"%s.hss"},"node_count":9,"total_size":%d,"max_object_id":99,"ids":false}\n' "$1" $(($2 * 1000000))
	i=0
	while IFS= read -r name; do
		i=$((i + 1))
		printf '{"type":"class","key":",k%d","name":%s,"count":%d,"self":%d,"retained":%d}\n' \
		    $i "$name" "$2" $(($2 * 1000)) $(($2 * 100000))
	done <<'NAMES'
"<div>"
"Detached <div>"
"a & b"
"q\"uote's"
"c\u0001d\u001b[31m"
"x]]>y"
"s\ud800t"
"tab\there\nline\r"
"\ufffe\uffff"
NAMES
}
names before 1 >before.hss
names after 5 >after.hss
hs-diff -q --threshold 1KB --suppress /dev/null -o d.hsd before.hss after.hss
echo "diff: exit $?"
SOURCE_DATE_EPOCH=0 hs-junit -o out.xml d.hsd
echo "junit: exit $?"
validate out.xml
grep -c '<testcase' out.xml
grep -o 'testcase name="[^"]*"' out.xml

# --suppress: a class listed is left out, unless it grew past the size
# given on its line; a bad regex in the file is an error naming the line
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need jq zstd
triple array-leak
cd "$TMP" || exit 1
printf '# test\n^LeakedEntry$\n\n' >all.conf
printf '^LeakedEntry$   1MiB\n^Array$ 1KiB\n' >size.conf
for f in all.conf size.conf /dev/null; do
	hs-diff -q --threshold 10KB --suppress "$f" -o d.hsd baseline.hss target.hss
	echo "$f: exit $? $(zstd -dc d.hsd | jq -c 'select(.type == "header") | [.classes.suppressed, .verdict.likely_source]')"
done
printf 'ok\n(unclosed\n' >bad.conf
hs-diff --suppress bad.conf baseline.hss target.hss

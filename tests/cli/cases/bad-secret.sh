# messages about malformed input never quote it: a secret planted where
# the parser fails (a bare word, a field name, a key, a string, a number)
. tests/cli/lib.sh
for f in secret-token secret-field secret-key secret-string; do
	cp $DATA/$f.heapsnapshot "$TMP/"
	hs-summarize -o "$TMP/out.hss" "$TMP/$f.heapsnapshot" 2>>"$TMP/err"
	echo "$f: exit $?"
done
cp $DATA/secret-bare.json "$TMP/"
hs-summarize "$TMP/secret-bare.json" 2>>"$TMP/err"
echo "secret-bare: exit $?"
grep -c . "$TMP/err"
grep -c 'hunter2\|SECRET' "$TMP/err"
ls "$TMP" | grep -c 'out\.hss\|hs-tmp'
true

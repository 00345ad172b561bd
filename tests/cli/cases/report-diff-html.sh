# hs-report --format html on a diff: one self-contained page, opened in
# headless Chromium, which must show the charts' bars (two per offender,
# before and after) and the offenders' names; a screenshot is taken too
. tests/cli/lib.sh
. tests/cli/cases/data/diff-lib.sh
need zstd
command -v chromium >/dev/null 2>&1 || { echo "chromium not found" >&2; exit 77; }
triple array-leak
cd "$TMP" || exit 1
hs-diff -q --threshold 10KB -o leak.hsd baseline.hss target.hss final.hss
hs-report --format html --top 6 -o leak.html leak.hsd || exit 1
# Nothing to fetch: no script, no stylesheet link, no remote address.
grep -Eci '<script|<link|src=|url\(|https?:' leak.html | sed 's/^/external references: /'
grep -c '<meta name="viewport"' leak.html | sed 's/^/viewport: /'

chrome() {
	timeout -k 5 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$TMP/profile.XXXXXX")" "$@" \
	    "file://$TMP/leak.html" 2>/dev/null
}
chrome --dump-dom >dom.html || { echo "chromium failed" >&2; exit 1; }
rows=$(grep -c '^<tr><td>' leak.html)
bars=$(grep -o '<rect class="bar [a-z]*"' dom.html | wc -l | tr -d ' ')
echo "offenders: $rows"
echo "bars: $bars"
[ "$bars" -eq $((rows * 2)) ] && echo "two bars per offender"
grep -o '<rect class="bar [a-z]*"' dom.html | sort | uniq -c | sed 's/^ *//'
echo "growth bars: $(grep -c '<rect class="growth' dom.html)"
# The names, as the chart labels show them.
sed -n 's|.*<text x="[0-9]*" y="[0-9]*" text-anchor="end">\(.*\)</text>.*|\1|p' dom.html |
    sort -u
grep -o '<h2>[^<]*</h2>' dom.html

chrome --screenshot="$TMP/leak.png" --window-size=800,1200 >/dev/null
[ -s leak.png ] && head -c 8 leak.png | od -An -c | tr -d ' ' | grep -q PNG &&
    echo "screenshot taken"
exit 0

# hs-report --format html on a trend: one self-contained page, opened in
# headless Chromium, which must draw a line per series (the whole heap in
# its chart, one per top class in the other) with a point per summary,
# and show the leak; a screenshot is taken too
. tests/cli/lib.sh
. tests/cli/cases/data/trend-lib.sh
need zstd tar
command -v chromium >/dev/null 2>&1 || { echo "chromium not found" >&2; exit 77; }
series leak
cd "$TMP" || exit 1
hs-trend -q --threshold 16KiB leak/*.hss; echo "hs-trend exit $?"
hs-trend --threshold 16KiB --format json leak/*.hss | hs-report --format html --top 5 -o trend.html
# Nothing to fetch: no script, no stylesheet link, no remote address.
grep -Eci '<script|<link|src=|url\(|https?:' trend.html | sed 's/^/external references: /'

chrome() {
	timeout -k 5 120 chromium --headless --no-sandbox --disable-gpu \
	    --disable-quic --no-first-run --disable-background-networking \
	    --disable-component-update --disable-sync \
	    --user-data-dir="$(mktemp -d "$TMP/profile.XXXXXX")" "$@" \
	    "file://$TMP/trend.html" 2>/dev/null
}
chrome --dump-dom >dom.html || { echo "chromium failed" >&2; exit 1; }
echo "charts: $(grep -c '<svg class="chart"' dom.html)"
echo "lines: $(grep -c '<polyline class="series' dom.html)"
echo "points: $(grep -c '<circle class="s' dom.html)"
# The lines' names, as their tooltips give them.
sed -n 's|.*<polyline class="series s[0-9]" points="[^"]*"><title>\(.*\)</title>.*|\1|p' dom.html
grep -o '<h2>[^<]*</h2>' dom.html
grep -o 'Likely source: <strong>[^<]*</strong>' dom.html

chrome --screenshot="$TMP/trend.png" --window-size=800,1200 >/dev/null
[ -s trend.png ] && head -c 8 trend.png | od -An -c | tr -d ' ' | grep -q PNG &&
    echo "screenshot taken"
exit 0

# hs-capture takes a snapshot of a page in headless Chromium
# (--remote-debugging-port=0, the port read from DevToolsActivePort), the
# page chosen among the browser's targets by --target, a pattern over URL
# and title; hs-summarize finds the page's 2345 PlantedWidget objects.
# Without --target, the one page target (of the browser's several
# targets) is taken; a pattern that matches nothing and a bad one fail;
# --watch samples the page's heap.
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need jq zstd setsid
command -v chromium >/dev/null 2>&1 || { echo "chromium not found" >&2; exit 77; }
page=$PWD/tests/cli/cases/data/planted.html
cd "$TMP" || exit 1
mkdir profile
# Its own process group, so that the whole browser goes at the end.
setsid chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --remote-debugging-port=0 \
    --user-data-dir="$TMP/profile" "file://$page" >/dev/null 2>&1 &
PIDS="$PIDS -$!"
i=0
until [ -s profile/DevToolsActivePort ]; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "chromium did not start" >&2; exit 1; }
	sleep 0.1
done
port=$(head -n 1 profile/DevToolsActivePort)
# The title says when the page's script has run.
i=0
until hs-capture -q --inspect 127.0.0.1:$port --target '^planted 2345$' \
    -o page.heapsnapshot 2>err; do
	i=$((i + 1))
	[ $i -gt 100 ] && { cat err >&2; exit 1; }
	sleep 0.2
done
echo "by title: captured"
hs-summarize -q page.heapsnapshot | hs-report --format tsv - |
    awk -F '\t' '$1 == "PlantedWidget" { print $1, $3 }'
hs-capture -q --inspect 127.0.0.1:$port --target 'planted\.html$' \
    -o url.heapsnapshot
echo "by url: exit $?"
hs-summarize -q url.heapsnapshot | hs-report --format tsv - |
    awk -F '\t' '$1 == "PlantedWidget" { print $1, $3 }'
hs-capture -q --inspect 127.0.0.1:$port -o all.heapsnapshot
echo "no --target: exit $?"
hs-summarize -q all.heapsnapshot | hs-report --format tsv - |
    awk -F '\t' '$1 == "PlantedWidget" { print $1, $3 }'
hs-capture -q --inspect 127.0.0.1:$port --target 'no such page' 2>&1 |
    sed "s/:$port:/:PORT:/"
hs-capture -q --inspect 127.0.0.1:$port --target '(' 2>&1 |
    sed "s/:$port:/:PORT:/"
# --watch on a page: V8's heap figures, the process ones null.
hs-capture --inspect 127.0.0.1:$port --target 'planted\.html$' \
    --watch 100ms --duration 300ms |
    jq -r '[(.heap_used > 0 and .heap_total >= .heap_used), .rss,
	.external, .array_buffers] | map(tostring) | join(" ")' | uniq -c |
    sed 's/^ *//'
ls -A | grep -v '^profile$' | grep -v 'err$'

# an inspector that accepts the connection and never answers: --timeout
# ends the wait with exit 2 and one line, and no file is left
. tests/cli/lib.sh
. tests/cli/cases/data/capture-lib.sh
need node
cd "$TMP" || exit 1
node -e 'const s = require("net").createServer(() => {});
s.listen(0, "127.0.0.1", () => console.error("planted " + s.address().port));' 2>node.err &
PIDS="$PIDS $!"
wait_for node.err '^planted '
port=$(sed -n 's/^planted //p' node.err)
start=$(date +%s)
hs-capture --timeout 1 --inspect 127.0.0.1:$port -o out.heapsnapshot 2>err
echo "exit $?"
took=$(($(date +%s) - start))
[ $took -le 3 ] && echo "within the timeout" || echo "took $took s"
sed "s/:$port:/:PORT:/" err
ls -A | grep -v 'err$'

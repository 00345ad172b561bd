# nothing listens at the address: exit 2, one line, no file
. tests/cli/lib.sh
cd "$TMP" || exit 1
# A port that was free a moment ago (bound, then released).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null) || exit 77
hs-capture --inspect 127.0.0.1:$port -o out.heapsnapshot 2>err
echo "exit $?"
sed "s/:$port/:PORT/g" err
ls -A

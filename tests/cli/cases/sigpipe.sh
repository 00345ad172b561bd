# a reader that goes away (| head -c 10): no message; exit 0, or killed by
# SIGPIPE (141)
. tests/cli/lib.sh
{ hs-summarize --level 1 "$(snap alloc-node24)"; echo $? >"$TMP/st"; } |
    head -c 10 | wc -c | tr -d ' '
case $(cat "$TMP/st") in
0 | 141) echo "exit 0 or SIGPIPE" ;;
*) echo "exit $(cat "$TMP/st")" ;;
esac

# --redact REGEX: matching class names become "(redacted)", everywhere
. tests/cli/lib.sh
s=$(snap mixed-node22)
hs-summarize "$s" | zstd -dc | grep -c LeakyThing
hs-summarize --redact 'LeakyThing' "$s" | zstd -dc >"$TMP/r.json"
grep -c LeakyThing "$TMP/r.json"
jq -c 'select(.type == "header") | .redacted' "$TMP/r.json"
jq -c 'select(.type == "class" and .name == "(redacted)") |
    {key, name, count}' "$TMP/r.json"

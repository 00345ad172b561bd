# the summaries of the bundled snapshot triples give the planted counts and,
# from their object ids, the planted numbers of new and surviving objects
. tests/cli/lib.sh
need bash jq zstd
bash testdata/gen/check-triples.sh >"$TMP/log" 2>&1 || { cat "$TMP/log"; exit 1; }

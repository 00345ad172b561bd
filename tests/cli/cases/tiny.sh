# a hand-written 3-node snapshot: the whole summary, record by record
# (the producer's version left out)
. tests/cli/lib.sh
hs-summarize $DATA/tiny.heapsnapshot | zstd -dc |
    jq -c 'if .type == "header" then .producer |= sub(" [0-9.]+$"; " VERSION")
	else . end'
# The header's class_count is the number of class records.
hs-summarize $DATA/tiny.heapsnapshot | zstd -dc |
    jq -s '(.[0].class_count) == ([.[] | select(.type == "class")] | length)'

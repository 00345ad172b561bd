# every allocation made to fail in turn (HS_FAIL_ALLOC=N, and all after
# it) through whole runs of each tool on small real inputs, with -o: each
# run exits 2 with one line saying "out of memory" and leaves no file (see
# tests/cli/cases/data/faults-lib.sh; HS_FAULTS=all for every N)
. tests/cli/lib.sh
. tests/cli/cases/data/faults-lib.sh
need timeout
every_tool HS_FAIL_ALLOC "out of memory"

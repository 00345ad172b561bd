# every write of output made to fail in turn (HS_FAIL_WRITE=N, and all
# after it, with ENOSPC) through whole runs of each tool, with -o: each run
# exits 2 with one line "write error" and leaves no file (see
# tests/cli/cases/data/faults-lib.sh)
. tests/cli/lib.sh
. tests/cli/cases/data/faults-lib.sh
need timeout
every_tool HS_FAIL_WRITE "write error: No space left on device"

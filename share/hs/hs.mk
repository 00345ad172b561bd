# hs.mk: memory leak checks from V8 heap snapshots, for GNU make.
#
# A project includes this fragment in its Makefile, after setting what it
# wants to change (or sets it on the make command line):
#
#	HS_BASELINE = test/memory/baseline.hss
#	HS_THRESHOLD = 5MB
#	include /usr/local/share/hs/hs.mk
#
# The fragment is installed by hs's `make install` as $(PREFIX)/share/hs/hs.mk;
# in an hs source tree it is share/hs/hs.mk.  It adds:
#
#   %.hss: %.heapsnapshot, %.hss: %.heapsnapshot.zst
#	Summarize a snapshot with hs-summarize(1), atomically: a snapshot
#	that cannot be read leaves no summary.
#
#   make memcheck
#	Compare the current summary with the baseline (hs-diff(1)), print the
#	diff's text report, and write, whatever the verdict:
#	  memory.hsd          the diff (hs-diff(5))
#	  memory-junit.xml    JUnit XML for the CI's test report (hs-junit(1))
#	  memory-report.html  the report for people (hs-report(1))
#	Then fail (make exits non-zero) when hs-diff found a leak of at least
#	the severity $(HS_FAIL_ON).  Trouble (an unreadable summary, a tool
#	that fails) fails it too, with a message saying which step failed.
#
#   make memcheck-baseline
#	Copy the current summary to $(HS_BASELINE): accept the heap as it is
#	now as the reference for the next runs.
#
#   make memcheck-clean
#	Remove the three files that memcheck writes (not the summaries).
#
# The including Makefile keeps its own default goal.
#
# Variables.  Each has a default and is set with `?=`, so a value given on
# the command line, in the environment or in the Makefile before the
# include wins.  Set them before the include: the prerequisites of memcheck
# are worked out as make reads the fragment.
#
#   HS_BASELINE      the reference summary (.hss), typically committed, or
#                    made by the pattern rule from a snapshot taken at the
#                    start of the same run.  Default: memory-baseline.hss.
#   HS_CURRENT       the summary to check.  Default: the summary of the newest
#                    snapshot (*.heapsnapshot or *.heapsnapshot.zst, by
#                    modification time) in $(HS_SNAPSHOT_DIR), or a newer
#                    .hss there that has no snapshot, leaving out the
#                    baseline and the target; the pattern rule makes it.
#                    Worked out when make reads the Makefile, so a snapshot
#                    written by a recipe of the same make run is not seen:
#                    capture first, then run make memcheck (or set it).
#   HS_TARGET        optional: a summary taken between baseline and current.
#                    When set, hs-diff compares the three (baseline, target,
#                    final = current) and reports the objects allocated
#                    between baseline and target still alive at the end.
#   HS_SNAPSHOT_DIR  where HS_CURRENT's default looks (default: .).
#   HS_THRESHOLD     the growth of retained size that counts, as hs-diff's
#                    --threshold: 10MiB, 512KB, 1048576 (default: 10MiB).
#   HS_FAIL_ON       the lowest severity that fails the build: low, medium,
#                    high or critical (default: low).
#   HS_SUPPRESS      suppression files, each passed as --suppress FILE
#                    (default: none, so hs-diff uses its bundled
#                    rules/suppress-node.conf; /dev/null turns that off).
#   HS_DIFF_FLAGS    more hs-diff options: --growth, --min-count,
#                    --include, --exclude, --top (default: none).
#   HS_SUMMARIZE_FLAGS  more hs-summarize options, e.g. --no-ids or
#                    --redact REGEX (default: none; -q is always given).
#   HS_JUNIT_FLAGS   more hs-junit options, e.g. --suite-name NAME.
#   HS_REPORT_FORMAT the format of the report (default: html).
#   HS_REPORT_FLAGS  more hs-report options.
#   HS_DIFF_FILE, HS_JUNIT_XML, HS_REPORT_FILE
#                    the output names (default: memory.hsd, memory-junit.xml,
#                    memory-report.html).
#   HS_SUMMARIZE, HS_DIFF, HS_JUNIT, HS_REPORT
#                    the tools (default: hs-summarize, hs-diff, hs-junit and
#                    hs-report, found on PATH).
#
# Examples:
#
#	make memcheck HS_BASELINE=before.hss HS_CURRENT=after.hss
#	make memcheck HS_THRESHOLD=1MB HS_FAIL_ON=medium
#	make memcheck HS_SUPPRESS='memory/suppress.conf' HS_DIFF_FLAGS='--min-count 100'
#
# File names must not contain spaces (make cannot handle them).  More, with
# CI examples (GitHub Actions, GitLab CI, Jenkins): share/hs/examples/README.md.

HS_SUMMARIZE ?= hs-summarize
HS_DIFF ?= hs-diff
HS_JUNIT ?= hs-junit
HS_REPORT ?= hs-report

HS_BASELINE ?= memory-baseline.hss
HS_SNAPSHOT_DIR ?= .
HS_TARGET ?=
HS_THRESHOLD ?= 10MiB
HS_FAIL_ON ?= low
HS_SUPPRESS ?=
HS_DIFF_FLAGS ?=
HS_SUMMARIZE_FLAGS ?=
HS_JUNIT_FLAGS ?=
HS_REPORT_FORMAT ?= html
HS_REPORT_FLAGS ?=

HS_DIFF_FILE ?= memory.hsd
HS_JUNIT_XML ?= memory-junit.xml
HS_REPORT_FILE ?= memory-report.html

# HS_CURRENT's default: the newest snapshot in HS_SNAPSHOT_DIR, or summary
# without a snapshot beside it, other than the baseline and the target, by
# modification time (a snapshot's, not that of the summary made of it), as
# the .hss the pattern rule makes.  Like every prerequisite, it is worked
# out when make reads the Makefile: a snapshot that a recipe of the same
# make run writes is not seen (capture in an earlier make run, or set
# HS_CURRENT).
hs_dir = $(if $(filter .,$(HS_SNAPSHOT_DIR:%/=%)),,$(HS_SNAPSHOT_DIR:%/=%)/)
hs_to_hss = $(patsubst %.heapsnapshot,%.hss,$(1:.heapsnapshot.zst=.heapsnapshot))
hs_not_current = $(foreach f,$(HS_BASELINE) $(HS_TARGET),$(f) \
	$(f:.hss=.heapsnapshot) $(f:.hss=.heapsnapshot.zst))
hs_snapshots = $(wildcard $(hs_dir)*.heapsnapshot $(hs_dir)*.heapsnapshot.zst)
hs_candidates = $(filter-out $(hs_not_current),$(hs_snapshots) \
	$(filter-out $(call hs_to_hss,$(hs_snapshots)),$(wildcard $(hs_dir)*.hss)))
hs_newest = $(if $(hs_candidates),$(firstword \
	$(shell ls -t -- $(hs_candidates) 2>/dev/null)))
ifeq ($(origin HS_CURRENT),undefined)
HS_CURRENT := $(call hs_to_hss,$(hs_newest))
endif

hs_diff_args = $(if $(HS_THRESHOLD),--threshold $(HS_THRESHOLD)) \
	$(if $(HS_FAIL_ON),--fail-on $(HS_FAIL_ON)) \
	$(foreach f,$(HS_SUPPRESS),--suppress $(f)) $(HS_DIFF_FLAGS)
hs_inputs = $(HS_BASELINE) $(HS_TARGET) $(HS_CURRENT)

# Keep the including Makefile's default goal.
hs_default_goal := $(.DEFAULT_GOAL)

%.hss: %.heapsnapshot
	$(HS_SUMMARIZE) -q$(if $(HS_SUMMARIZE_FLAGS), $(HS_SUMMARIZE_FLAGS)) -o $@ $<

%.hss: %.heapsnapshot.zst
	$(HS_SUMMARIZE) -q$(if $(HS_SUMMARIZE_FLAGS), $(HS_SUMMARIZE_FLAGS)) -o $@ $<

# One recipe, so that the JUnit XML and the report are written before the
# status of hs-diff (0 no leak, 1 leak, 2 trouble) fails the build.
memcheck: $(hs_inputs)
	$(if $(HS_CURRENT),,$(error hs.mk: no current summary: set HS_CURRENT, or put a snapshot (*.heapsnapshot or *.heapsnapshot.zst) other than the baseline's in HS_SNAPSHOT_DIR ($(HS_SNAPSHOT_DIR))))
	@rm -f $(HS_DIFF_FILE) $(HS_JUNIT_XML) $(HS_REPORT_FILE)
	@run() { echo "$$*"; "$$@"; }; st=0; bad=; \
	run $(HS_DIFF) $(hs_diff_args) -o $(HS_DIFF_FILE) $(hs_inputs) || st=$$?; \
	if [ $$st -gt 1 ] || [ ! -f $(HS_DIFF_FILE) ]; then \
		echo "hs.mk: memcheck: $(HS_DIFF) failed (exit $$st)" >&2; exit 2; \
	fi; \
	run $(HS_JUNIT) --exit-zero $(if $(HS_FAIL_ON),--fail-on $(HS_FAIL_ON)) \
	    $(HS_JUNIT_FLAGS) -o $(HS_JUNIT_XML) $(HS_DIFF_FILE) || \
		bad="$$bad $(HS_JUNIT)"; \
	run $(HS_REPORT) --format $(HS_REPORT_FORMAT) $(HS_REPORT_FLAGS) \
	    -o $(HS_REPORT_FILE) $(HS_DIFF_FILE) || \
		bad="$$bad $(HS_REPORT)"; \
	if [ $$st = 1 ]; then \
		echo "hs.mk: memcheck: memory leak found (severity $(or $(HS_FAIL_ON),low) or higher): see $(HS_REPORT_FILE)" >&2; \
	else \
		echo "hs.mk: memcheck: no memory leak (severity $(or $(HS_FAIL_ON),low) or higher)"; \
	fi; \
	if [ -n "$$bad" ]; then \
		echo "hs.mk: memcheck: failed:$$bad" >&2; exit 2; \
	fi; \
	exit $$st

memcheck-baseline: $(HS_CURRENT)
	$(if $(HS_CURRENT),,$(error hs.mk: no current summary: set HS_CURRENT))
	cp $(HS_CURRENT) $(HS_BASELINE)

memcheck-clean:
	rm -f $(HS_DIFF_FILE) $(HS_JUNIT_XML) $(HS_REPORT_FILE)

.PHONY: memcheck memcheck-baseline memcheck-clean
.DEFAULT_GOAL := $(hs_default_goal)

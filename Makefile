# hs: find memory leaks in JavaScript programs from V8 heap snapshots.
#
#   make            build the tools
#   make check      unit and end-to-end tests (installs what is missing
#                   when run as root on Debian)
#   make demo       summarize the bundled snapshots and show the top classes
#   make bench      speed and memory on 100 MB and 1 GB snapshots
#   make install    PREFIX=/usr/local DESTDIR=
#   make SANITIZE=address,undefined check
#   make fuzz FUZZ_SECONDS=60   libFuzzer targets (clang), tests/fuzz/
#   make check-valgrind         end-to-end cases under valgrind

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/hs

CC ?= cc
PKGS = yajl libzstd libpcre2-8
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lyajl -lzstd -lpcre2-8)
# Debian's libwslay-dev has no pkg-config file; fall back to -lwslay.
WSLAY_LIBS := $(shell pkg-config --libs libwslay 2>/dev/null || echo -lwslay)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

WARN = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wvla -Wno-format-nonliteral
OPT ?= -O2 -g
CFLAGS ?=
# The time a test may take before it counts as hung: the sanitizers make
# every run several times slower (fault-alloc: 80 s plain, 290 s under ASan).
TEST_TIMEOUT = 300
ifneq ($(SANITIZE),)
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
TEST_TIMEOUT = 1200
endif
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DHS_VERSION='"$(VERSION)"' -DHS_DATADIR='"$(DATADIR)"' \
	$(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -Ilib -Icmd $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) $(WSLAY_LIBS) -lpthread -lm

LIB_SRC = $(wildcard lib/*.c)
LIB_OBJ = $(LIB_SRC:.c=.o)
CLI_OBJ = cmd/cli.o
TOOLS = hs-summarize hs-report hs-diff hs-junit hs-capture hs-trend
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:.c=)
MANPAGES = $(wildcard man/*.1 man/*.5)

all: $(TOOLS)

lib/libhs.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

%.o: %.c $(wildcard lib/*.h cmd/*.h)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

hs-%: cmd/hs-%.o $(CLI_OBJ) lib/libhs.a
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(CLI_OBJ) lib/libhs.a $(LIBS)

WS_SERVER = tests/unit/wsserver.c tests/unit/wsserver.h

tests/unit/test_%: tests/unit/test_%.c lib/libhs.a tests/unit/testutil.h \
    $(WS_SERVER)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< tests/unit/wsserver.c \
	    lib/libhs.a $(LIBS) $(CMOCKA_LIBS)

# libFuzzer targets, built with clang into tests/fuzz/build/ (apart from the
# normal objects) and run by tests/fuzz/run.sh; crashes go to
# tests/fuzz/regress/TARGET/, replayed by make check.
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 65536
FUZZ_CC ?= clang
FUZZ_DIR = tests/fuzz/build
FUZZ_SAN = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DHS_VERSION='"$(VERSION)"' -DHS_DATADIR='"$(DATADIR)"' \
	-O1 -g $(WARN) $(PKG_CFLAGS) -Ilib
FUZZ_LIB_OBJ = $(LIB_SRC:lib/%.c=$(FUZZ_DIR)/lib/%.o)
FUZZ_TARGETS = fuzz_snapshot fuzz_summary fuzz_json fuzz_rules fuzz_intscan \
	fuzz_inspector
FUZZ_BIN = $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
# The same targets built with $(CC) and a plain main() (tests/fuzz/replay.c),
# so that make check replays tests/fuzz/regress/TARGET/* without clang.
REPLAY_BIN = $(FUZZ_TARGETS:%=tests/fuzz/%.replay)

fuzz:
	@mkdir -p $(FUZZ_DIR); \
	if ! echo 'int LLVMFuzzerTestOneInput(const unsigned char*d,unsigned long n){return 0;}' | \
	    $(FUZZ_CC) -fsanitize=fuzzer -x c - -o $(FUZZ_DIR)/probe 2>/dev/null; then \
		rm -f $(FUZZ_DIR)/probe; \
		echo "fuzz: skipped: $(FUZZ_CC) cannot link -fsanitize=fuzzer" \
		    "(on Debian: apt-get install clang libclang-rt-14-dev)"; \
		exit 0; \
	fi; \
	rm -f $(FUZZ_DIR)/probe; \
	$(MAKE) --no-print-directory hs-summarize hs-diff $(FUZZ_BIN) && \
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) \
	    sh tests/fuzz/run.sh

$(FUZZ_DIR)/lib/%.o: lib/%.c $(wildcard lib/*.h)
	@mkdir -p $(FUZZ_DIR)/lib
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -c -o $@ $<

# The scripted WebSocket server (tests/unit/wsserver.c) is shared with the
# unit tests; fuzz_inspector plays it.
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ) $(WS_SERVER)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -Itests/unit -o $@ $< \
	    tests/unit/wsserver.c $(FUZZ_LIB_OBJ) $(LIBS)

tests/fuzz/%.replay: tests/fuzz/%.c tests/fuzz/replay.c lib/libhs.a \
    $(wildcard lib/*.h) $(WS_SERVER)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -Itests/unit -o $@ $< \
	    tests/fuzz/replay.c tests/unit/wsserver.c lib/libhs.a $(LIBS)

.PHONY: fuzz
.SECONDARY: $(FUZZ_LIB_OBJ)

deps:
	@sh tests/deps.sh

# Every suite runs, so one log shows every failure; check fails if any did.
check: deps all $(UNIT_BIN) $(REPLAY_BIN)
	@st=0; \
	export HS_UNIT_TIMEOUT=$${HS_UNIT_TIMEOUT:-$(TEST_TIMEOUT)}; \
	export HS_REPLAY_TIMEOUT=$${HS_REPLAY_TIMEOUT:-$(TEST_TIMEOUT)}; \
	export HS_TEST_TIMEOUT=$${HS_TEST_TIMEOUT:-$(TEST_TIMEOUT)}; \
	sh tests/run-unit.sh $(UNIT_BIN) || st=1; \
	sh tests/fuzz/replay.sh $(FUZZ_TARGETS) || st=1; \
	sh tests/cli/run.sh || st=1; \
	sh tests/lint-man.sh $(MANPAGES) || st=1; \
	exit $$st

# The end-to-end cases of every tool and error path under valgrind, on a
# plain build (make clean first after a SANITIZE build).  The interpreter
# stands in for PCRE2's JIT, whose reads look uninitialised to valgrind.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full \
	--show-leak-kinds=definite --errors-for-leak-kinds=definite
VALGRIND_CASES = bad-* diff-* junit-* report-* malformed-sample \
	malformed-summary regex-limits stdout-trouble oracle-mixed-node22 \
	oracle-dom-chromium

check-valgrind: all
	@command -v valgrind >/dev/null || { echo "check-valgrind:" \
	    "valgrind not found (apt-get install valgrind)"; exit 1; }
	@HS_WRAP='$(VALGRIND)' HS_REGEX_NO_JIT=1 HS_TEST_TIMEOUT=900 \
	    sh tests/cli/run.sh $$(cd tests/cli/cases && \
	    ls $(VALGRIND_CASES:=.sh))

demo: all
	@sh share/hs/demo.sh

bench: all
	@bash bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(wildcard man/*.5) $(DESTDIR)$(MANDIR)/man5
	cp -R share/hs/. $(DESTDIR)$(DATADIR)

clean:
	rm -f $(TOOLS) lib/*.o cmd/*.o lib/libhs.a $(UNIT_BIN) $(REPLAY_BIN)
	rm -rf tests/out tests/fuzz/build

.PHONY: all check check-valgrind deps demo bench install clean
.SECONDARY: $(LIB_OBJ) $(CLI_OBJ) $(TOOLS:%=cmd/%.o)

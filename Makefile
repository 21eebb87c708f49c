# crm - a CRM as small Unix tools. See README.md and HACKING.md.
.SUFFIXES:
.SECONDARY:

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
LIBDIR   = $(PREFIX)/lib
MANDIR   = $(PREFIX)/share/man
SHAREDIR = $(PREFIX)/share/crm

# SAN=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer into
# build-san/, so both variants can sit side by side.
SAN ?=
ifeq ($(SAN),1)
BUILD   ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1
else
BUILD   ?= build
SANFLAGS =
OPT      = -O2
endif

CC      ?= cc
PKGS     = sqlite3 jansson libutf8proc libpq libidn2 gmime-3.0 libxml-2.0
WARN     = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers -Wno-format-truncation
CFLAGS  ?= $(OPT) -g
# libcrm's layers (lib/README.md); the front end in cli/ sees them, they
# never see cli/ (only cli/ and cmd/ objects get -iquote cli)
LIB_DIRS = lib/base lib/records lib/store lib/entity lib/domain lib/analytics \
           lib/report
INCLUDES = $(addprefix -iquote ,$(LIB_DIRS))
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(SANFLAGS) $(INCLUDES) \
             -DCRM_SHARE_DIR='"$(SHAREDIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Start-up (HACKING.md, "Start-up"): libpq is not linked but loaded when a
# PostgreSQL target is opened (lib/store/store_pg.c), and --as-needed
# keeps a library out of a binary none of whose objects call it.
LINK_PKGS = $(filter-out libpq,$(PKGS))
LDLIBS   = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null) -lcsv -lm
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) -pthread -Wl,--as-needed

LIB_SRC  = $(sort $(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB_HDRS = $(wildcard $(addsuffix /*.h,$(LIB_DIRS)))
CLI_SRC  = $(sort $(wildcard cli/*.c))
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
CMD_SRC  = $(sort $(wildcard cmd/*.c))
CMD_OBJ  = $(CMD_SRC:cmd/%.c=$(BUILD)/obj/cmd/%.o)
BINS     = $(CMD_SRC:cmd/%.c=$(BUILD)/bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/t_*.c))
UNITS    = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))

# Debian packages a plain "make" needs: the compiler and the libraries it
# links. "make install" needs nothing more.
DEB_PKGS = build-essential pkg-config libsqlite3-dev libcsv-dev libjansson-dev \
           libutf8proc-dev libpq-dev libidn2-dev libgmime-3.0-dev libxml2-dev $(CPQ_DEB_PKGS) \
           $(SOCIAL_DEB_PKGS) $(SERVICE_DEB_PKGS)
# What the tests use besides ("make check" and "make fuzz" install these):
# tests/cli/t906-valgrind.sh is skipped without valgrind.
TEST_PKGS = sqlite3 mandoc bash-completion zsh fish clang libclang-rt-14-dev \
            miller time tzdata jq chromium valgrind util-linux python3 \
            postgresql $(CPQ_TEST_PKGS)
# and the benchmarks ("make bench" installs these too)
BENCH_PKGS = python3-sklearn python3-statsmodels hyperfine

# cpq: crm-quote render writes PDF with Pango and Cairo (pangocairo: text
# shaping, font fallback, embedded font subsets); a font with CJK glyphs
# (WenQuanYi Micro Hei: Chinese and Japanese kana) so that quotes in
# Chinese and Japanese render; poppler-utils (pdftotext, pdftoppm) checks
# the PDFs in tests. Only quote_pdf.o sees the flags; it loads pangocairo
# when it makes a PDF (lib/base/dl.h), so no binary links it.
CPQ_DEB_PKGS = libpango1.0-dev libcairo2-dev fonts-wqy-microhei fonts-dejavu-core
CPQ_TEST_PKGS = poppler-utils
CPQ_PKGS = pangocairo
$(BUILD)/obj/lib/report/quote_pdf.o: ALL_CFLAGS += $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(CPQ_PKGS) 2>/dev/null))

# service: the knowledge base stems English words with Snowball's English
# (Porter2) stemmer, libstemmer (no pkg-config file: linked by name)
SERVICE_DEB_PKGS = libstemmer-dev
LDLIBS += -lstemmer

all: $(BINS)

# social: phone regions (手机号归属地) from libphonenumber's geocoding data.
# libphonenumber is C++: lib/base/phone_region.cc is a shim with a C
# interface (phone_region.h), built with $(CXX) as the module crm-phone.so
# in $(BUILD)/lib/crm/ (installed in $(LIBDIR)/crm/). lib/base/phone_load.c
# loads it at the first call, from lib/crm/ next to the running binary's
# bin/ folder, so no binary links libphonenumber, ICU or the C++ runtime
# (HACKING.md, "Start-up").
SOCIAL_DEB_PKGS = libphonenumber-dev g++
CXX ?= g++
PHONE_MOD = $(BUILD)/lib/crm/crm-phone.so
PHONE_LIBS = -lgeocoding -lphonenumber -licuuc -lstdc++
$(PHONE_MOD): lib/base/phone_region.cc lib/base/phone_region.h | deps-check
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $(OPT) -g -Wall -Wextra -Werror $(SANFLAGS) -fPIC -shared \
	  -iquote lib/base -o $@ $< -Wl,--as-needed $(PHONE_LIBS)
all: $(PHONE_MOD)

# Every object waits for the dependency check (order-only: it never makes
# them stale), so "make -j" does not compile while packages are missing.
$(LIB_OBJ) $(CLI_OBJ) $(CMD_OBJ) \
  $(UNIT_SRC:tests/unit/%.c=$(BUILD)/obj/tests/unit/%.o): | deps-check
$(CLI_OBJ) $(CMD_OBJ): INCLUDES += -iquote cli

# Installs what is missing, then goes on: make, make check and make demo run it.
# On Debian it asks dpkg about every package; elsewhere it checks the libraries.
deps-check:
	@if command -v dpkg-query >/dev/null; then \
		for p in $(DEB_PKGS); do \
			dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' \
			|| { $(MAKE) --no-print-directory DEB_PKGS="$(DEB_PKGS)" deps; exit $$?; }; \
		done; \
	elif ! pkg-config --exists $(PKGS) 2>/dev/null || [ ! -f /usr/include/csv.h ]; then \
		$(MAKE) --no-print-directory deps; fi

test-deps: deps-check
	@$(MAKE) --no-print-directory DEB_PKGS="$(DEB_PKGS) $(TEST_PKGS)" deps-check

bench-deps: test-deps
	@$(MAKE) --no-print-directory DEB_PKGS="$(DEB_PKGS) $(TEST_PKGS) $(BENCH_PKGS)" deps-check

deps:
	@cmd="apt-get install -y --no-install-recommends $(DEB_PKGS)"; \
	if [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive $$cmd; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		(sudo apt-get update -qq || true) && sudo DEBIAN_FRONTEND=noninteractive $$cmd; \
	else \
		echo "crm: missing build dependencies; as root run:"; \
		echo "  apt-get update && $$cmd"; exit 1; \
	fi

$(BUILD)/obj/%.o: %.c $(LIB_HDRS) $(wildcard cli/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# share.o has the install path compiled in: rebuild it when PREFIX changes.
$(BUILD)/share-dir: FORCE
	@mkdir -p $(@D); echo '$(SHAREDIR)' | cmp -s - $@ || echo '$(SHAREDIR)' >$@
$(BUILD)/obj/lib/base/share.o: $(BUILD)/share-dir
FORCE:

$(BUILD)/libcrm.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

# the front end every command shares: options, output, errors
$(BUILD)/libcrm-cli.a: $(CLI_OBJ)
	@rm -f $@
	ar rcs $@ $(CLI_OBJ)

$(BUILD)/bin/%: $(BUILD)/obj/cmd/%.o $(BUILD)/libcrm-cli.a $(BUILD)/libcrm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libcrm-cli.a $(BUILD)/libcrm.a $(LDLIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libcrm.a
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libcrm.a $(LDLIBS)

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c tests/unit/test.h $(LIB_HDRS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

units: $(UNITS)

check: test-deps all units
	@BUILD=$(BUILD) sh tests/run.sh

# What runs on PostgreSQL so far (the storage interface, lib/store/),
# against a throwaway server: see tests/pg.sh.
check-pg: test-deps all units
	@BUILD=$(BUILD) sh tests/pg.sh

# The same suite under ASan and UBSan.
check-san:
	@$(MAKE) --no-print-directory SAN=1 check

# One sample database from share/crm/examples, built from scratch.
demo: all
	@BUILD=$(BUILD) sh share/crm/examples/demo.sh

# libFuzzer harnesses (clang); FUZZ_TIME seconds each.
FUZZ_TIME ?= 60
fuzz: test-deps
	@BUILD=$(BUILD) FUZZ_TIME=$(FUZZ_TIME) sh tests/fuzz/run.sh

# Every benchmark that prints table rows, then the table (tests/README.md
# "Benchmarks"): BENCH="contacts leads" picks scripts, BENCH_ENGINE=sqlite,
# pg or both the engines (default both when PostgreSQL is installed).
bench: all bench-deps
	@BUILD=$(BUILD) BENCH="$(BENCH)" BENCH_ENGINE="$(BENCH_ENGINE)" sh tests/bench/run.sh

lint-man:
	@mandoc -Tlint -W warning man/man*/*.[0-9]

# The lint of the test scripts and its self-test (tests/README.md);
# make check runs it too.
lint-tests:
	@python3 tests/lint.py --self-test >/dev/null || python3 tests/lint.py --self-test
	@python3 tests/lint.py

format:
	clang-format -i lib/*/*.c lib/*/*.h cli/*.c cli/*.h cmd/*.c tests/unit/*.c tests/fuzz/*.c

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(SHAREDIR) \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	mkdir -p $(DESTDIR)$(LIBDIR)/crm
	cp $(PHONE_MOD) $(DESTDIR)$(LIBDIR)/crm/
	chmod 755 $(BINS:$(BUILD)/bin/%=$(DESTDIR)$(BINDIR)/%)
	cp man/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	-cp man/man5/*.5 $(DESTDIR)$(MANDIR)/man5/ 2>/dev/null
	-cp man/man7/*.7 $(DESTDIR)$(MANDIR)/man7/ 2>/dev/null
	cp -R share/crm/. $(DESTDIR)$(SHAREDIR)/
	for b in $(BINS:$(BUILD)/bin/%=%); do \
	  cp completions/crm.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$b; done
	cp completions/_crm $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_crm
	cp completions/crm.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/crm.fish

uninstall:
	for b in $(BINS:$(BUILD)/bin/%=%); do \
	  rm -f $(DESTDIR)$(BINDIR)/$$b $(DESTDIR)$(MANDIR)/man1/$$b.1 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/$$b; done
	rm -f $(DESTDIR)$(MANDIR)/man5/crm-*.5 $(DESTDIR)$(MANDIR)/man7/crm.7
	rm -f $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_crm \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/crm.fish
	rm -rf $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(LIBDIR)/crm

clean:
	rm -rf build build-san build-fuzz

.PHONY: FORCE all deps deps-check test-deps bench-deps check check-pg check-san demo fuzz bench lint-man lint-tests format \
        install uninstall clean units

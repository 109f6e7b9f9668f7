# hotline: build, test and run.
#
#   make              build/hotline
#   make run          install what is missing, build, serve config/demo.conf
#   make check        install what is missing, build, run every test
#   make SANITIZE=1 check   the same under ASan + UBSan (in build/san/)
#   make tsan         the threaded tests under ThreadSanitizer (build/tsan/)
#   make browser      the web views in headless Chromium (tests/browser/)
#   make lint         cppcheck, the clang-format check, banned functions and
#                     the layers (tests/lint/)
#   make fuzz         libFuzzer targets, a short run each (check: 5 s each)
#   make bench        the intake benchmark (prints figures, asserts nothing)
#   make install      the binary, man pages, units, example config and README
#                     (PREFIX=/usr/local; DESTDIR for a staging root)
#   make deps-runtime only the libraries the binary runs with

# The Debian 12 packages the project needs to build, test and run, and to
# build its Debian package (dpkg-buildpackage -us -uc -b; groff-base renders
# the man pages in tests/e2e/test_package.sh).
DEB_PACKAGES = build-essential pkg-config clang cppcheck clang-format \
	libmicrohttpd-dev libcurl4-openssl-dev libssl-dev libsodium-dev \
	libjansson-dev libinih-dev libsqlite3-dev libsystemd-dev libcmocka-dev \
	sqlite3 curl openssl chromium nodejs npm \
	dpkg-dev debhelper fakeroot groff-base prometheus

# Those the binary needs to run, and nothing else: what "make deps-runtime"
# installs on a server that runs a "make install" from elsewhere.  The
# Debian package finds the same with dpkg-shlibdeps (${shlibs:Depends}).
DEB_RUNTIME_PACKAGES = libmicrohttpd12 libcurl4 libsodium23 libjansson4 \
	libinih1 libsqlite3-0 libssl3 libsystemd0

# The browser tests' npm packages (playwright-core: it never downloads a
# browser, the tests drive Debian's /usr/bin/chromium), installed by
# "make deps" with npm ci when node_modules is missing or the lock is newer.
NODE_STAMP = tests/browser/node_modules/.installed

PKGS = libmicrohttpd libcurl libsodium jansson inih sqlite3 libcrypto libsystemd

# The version: the VERSION file, and nothing else (debian/changelog must
# agree; tests/e2e/test_package.sh checks).  gateway/version.c prints it,
# and the versions of the libraries it was built with where they cannot
# tell their own at run time.
VERSION := $(shell cat VERSION)
VERSION_FLAGS = -DHOTLINE_VERSION='"$(VERSION)"' \
	-DHOTLINE_INIH_VERSION='"$(shell pkg-config --modversion inih)"' \
	-DHOTLINE_LIBSYSTEMD_VERSION='"$(shell pkg-config --modversion libsystemd)"'

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	-I. $(shell pkg-config --cflags $(PKGS)) $(VERSION_FLAGS)
LDLIBS += $(shell pkg-config --libs $(PKGS)) -lpthread -lm

ifeq ($(TSAN),1)
BUILD = build/tsan
CFLAGS += -fsanitize=thread -g -O1 -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
else ifeq ($(SANITIZE),1)
BUILD = build/san
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD = build
endif

# NDEBUG is never defined, in any build (a packager's flags included): the
# assert()s of internal invariants stay in the binary.
override CFLAGS := $(filter-out -DNDEBUG,$(CFLAGS))
override CPPFLAGS := $(filter-out -DNDEBUG,$(CPPFLAGS))

LIB_SRC = $(wildcard lib/*.c adapters/*.c config/*.c queue/*.c web/*.c) \
	$(filter-out gateway/main.c, $(wildcard gateway/*.c))
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
E2E = $(sort $(wildcard tests/e2e/test_*.sh))
BENCH_BIN = $(BUILD)/bench/loadgen $(BUILD)/bench/bare_server \
	$(BUILD)/bench/reference_pipeline \
	$(BUILD)/bench/router_bench $(BUILD)/bench/dispatch_bench \
	$(BUILD)/fake_provider
HDRS = $(wildcard */*.h)

all: $(BUILD)/hotline

$(BUILD)/hotline: $(BUILD)/obj/gateway/main.o $(BUILD)/libhotline.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libhotline.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# CPPFLAGS: empty here; dpkg-buildflags' (_FORTIFY_SOURCE) in the package.
$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/gateway/version.o build/fuzz/obj/gateway/version.o: VERSION

# Every unit test links tests/unit/testlib.c, the helpers they share, and
# the .c files a test lists below as prerequisites of its own.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/testlib.c tests/unit/testlib.h \
		$(BUILD)/libhotline.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c,$^) \
		$(BUILD)/libhotline.a \
		$(LDLIBS) $(shell pkg-config --libs cmocka)

# The store's error paths, through the SQLite fault injector.
$(BUILD)/tests/test_store_faults: tests/unit/faultvfs.c tests/unit/faultvfs.h

# The fake provider API the end-to-end tests send to.
$(BUILD)/fake_provider: tests/e2e/fake_provider.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/bench/%: tests/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

# The *_bench programs time parts of the library, so they link it.
$(BUILD)/bench/%_bench: tests/bench/%_bench.c $(BUILD)/libhotline.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libhotline.a $(LDLIBS)

# $(call apt_install,PACKAGES): apt-get install those of PACKAGES that are
# missing, with sudo when not root.  A package counts as there when it is
# installed or an installed package provides it (NodeSource's nodejs
# provides npm, and conflicts with Debian's).
define apt_install
	@have=$$(dpkg-query -W -f='$${Status}|$${Package}, $${Provides}\n' | \
		sed -n 's/^install ok installed|//p' | tr ',' '\n' | \
		sed 's/^ *//; s/ .*//'); \
	missing=; for p in $(1); do \
		printf '%s\n' "$$have" | grep -qxF "$$p" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(DEB_PACKAGES))
	@$(MAKE) -s --no-print-directory $(NODE_STAMP)

deps-runtime:
	$(call apt_install,$(DEB_RUNTIME_PACKAGES))

$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: deps
	$(MAKE) all
	mkdir -p build/demo
	$(BUILD)/hotline serve --config config/demo.conf

# The web views of the demo: build/demo/web.conf is config/demo.conf with
# the demo mayor's key (its passphrase is public, in the README) and two
# accounts, walikota and kadis_capil, then served on make run's database.
# config/demo.conf itself is never edited.
demo-web: deps
	$(MAKE) all
	$(MAKE) -s --no-print-directory demo-web-config
	$(BUILD)/hotline serve --config build/demo/web.conf

# demo_user NAME,ROLE,OPD-OPTION,PASSWORD: the account, made or its
# password set again.
define demo_user
	printf '%s\n' '$(4)' >build/demo/$(1).pw && chmod 600 build/demo/$(1).pw
	$(BUILD)/hotline user add --config build/demo/web.conf --role $(2) $(3) \
		--password-file build/demo/$(1).pw $(1) 2>/dev/null || \
	$(BUILD)/hotline user passwd --config build/demo/web.conf \
		--password-file build/demo/$(1).pw $(1)
endef

demo-web-config: $(BUILD)/hotline
	mkdir -p build/demo
	install -m 600 config/demo-keys/mayor.key build/demo/mayor.key
	sed 's#^mayor_public = .*#&\nmayor_key = mayor.key#' config/demo.conf \
		>build/demo/web.conf
	$(call demo_user,walikota,mayor,,kata sandi masuk wali kota)
	$(call demo_user,kadis_capil,opd,--opd dispendukcapil,kata sandi kadis capil)

check: deps
	$(MAKE) fuzz FUZZ_SECONDS=5
	$(MAKE) unit
	$(MAKE) e2e
	$(MAKE) browser

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
		echo "== $$t"; $$t || fail=1; \
	done; exit $$fail

e2e: $(BUILD)/hotline $(BUILD)/fake_provider
	@pass=0; fail=0; for t in $(E2E); do \
		echo "== $$t"; \
		if HOTLINE=$(CURDIR)/$(BUILD)/hotline \
		    FAKE_PROVIDER=$(CURDIR)/$(BUILD)/fake_provider bash $$t; then \
			pass=$$((pass+1)); else fail=$$((fail+1)); echo "FAILED: $$t"; fi; \
	done; echo "e2e: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

# ThreadSanitizer (make tsan): the library, the unit tests that start
# threads (the writer and its checkpointer, the epochs' reaper, the rate
# limiter under contention, the store's faults through the writer) and the
# daemon built with -fsanitize=thread in build/tsan, then those tests and
# the end-to-end tests that drive the daemon's threads hardest run with
# it.  The first race stops the program (halt_on_error) and its report
# lands in build/tsan/reports/, which must stay empty.  tests/tsan.supp
# may only silence races inside the libraries that are not instrumented
# (libmicrohttpd, libcurl, libsodium, SQLite), never one of ours.  ASLR is
# turned off (setarch -R) where it can be: a kernel with more mmap entropy
# than tsan knows fails with "unexpected memory mapping".
TSAN_UNIT = test_writer test_ratelimit test_epoch test_rekey test_store_faults
# Left out, for timing that tsan's slowdown breaks (they show no race):
# test_crash counts the acknowledgements sent while a stream goes on
# (Argon2id is too slow for enough of them); test_heads and test_dialogue
# check the order in which one number's replies arrive, which slowed down
# comes out otherwise now and then.
TSAN_E2E = test_intake test_conversation test_evidence test_smssync \
	test_forget test_flood test_shutdown
TSAN_REPORTS = $(CURDIR)/build/tsan/reports
TSAN_ENV = TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 \
	suppressions=$(CURDIR)/tests/tsan.supp log_path=$(TSAN_REPORTS)/tsan"
TSAN_RUN = $(shell setarch $$(uname -m) -R true 2>/dev/null && \
	echo setarch $$(uname -m) -R)

tsan:
	@$(MAKE) --no-print-directory TSAN=1 BUILD=build/tsan tsan-run

tsan-run: $(TSAN_UNIT:%=$(BUILD)/tests/%) $(BUILD)/hotline \
		$(BUILD)/fake_provider
	@rm -rf $(TSAN_REPORTS); mkdir -p $(TSAN_REPORTS); fail=0; \
	for t in $(TSAN_UNIT); do \
		echo "== $$t"; \
		$(TSAN_ENV) $(TSAN_RUN) $(BUILD)/tests/$$t || fail=1; \
	done; \
	for t in $(TSAN_E2E); do \
		echo "== $$t"; \
		HOTLINE=$(CURDIR)/$(BUILD)/hotline \
		    FAKE_PROVIDER=$(CURDIR)/$(BUILD)/fake_provider \
		    $(TSAN_ENV) $(TSAN_RUN) bash tests/e2e/$$t.sh || fail=1; \
	done; \
	for r in $(TSAN_REPORTS)/*; do \
		[ -e "$$r" ] || continue; echo "== $$r"; cat "$$r"; fail=1; \
	done; \
	[ $$fail -eq 0 ] && echo "tsan: no race" || \
		{ echo "tsan: FAILED"; exit 1; }

# The web views as a person uses them: tests/browser/run.sh starts the real
# daemon; views.test.mjs, then (in verification mode) verify.test.mjs drive
# /usr/bin/chromium with playwright-core; screenshots go to
# build/artifacts/browser/.
browser: $(BUILD)/hotline $(BUILD)/fake_provider $(NODE_STAMP)
	HOTLINE=$(CURDIR)/$(BUILD)/hotline \
	    FAKE_PROVIDER=$(CURDIR)/$(BUILD)/fake_provider \
	    ARTIFACTS=$(CURDIR)/build/artifacts/browser bash tests/browser/run.sh

bench: $(BUILD)/hotline $(BENCH_BIN)
	HOTLINE=$(CURDIR)/$(BUILD)/hotline BENCH=$(CURDIR)/$(BUILD)/bench \
		bash tests/bench/run.sh
	@$(MAKE) --no-print-directory $(BUILD)/bench/indicators_bench
	@echo; echo "== the mayor's indicator view on 1,000,000 reports"
	$(BUILD)/bench/indicators_bench

# libFuzzer: the library built once with clang and the
# sanitizers, one program per tests/fuzz/fuzz_*.c, run from the repository
# root with the fixtures as seeds.
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB_OBJ = $(patsubst %.c,build/fuzz/obj/%.o,$(LIB_SRC))
FUZZ_CFLAGS = -std=c11 -g -O1 -fsanitize=address,undefined \
	-fno-sanitize-recover=all -D_DEFAULT_SOURCE -D_GNU_SOURCE -I. \
	$(shell pkg-config --cflags $(PKGS)) $(VERSION_FLAGS)

build/fuzz/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/libfuzz.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzzlib.h tests/fuzz/fuzz_demo.h \
		build/fuzz/libfuzz.a
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libfuzz.a \
		$(LDLIBS)

# libFuzzer writes the inputs it finds into the first corpus directory it
# is given, and a crash's input beside artifact_prefix: the fixtures are
# copied into build/fuzz/fuzz_X.corpus as seeds and only that directory is
# given, so that nothing it finds can land in tests/fixtures (or the
# repository root).
fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		mkdir -p $$f.corpus; \
		cp -p tests/fixtures/* $$f.corpus/ || exit 1; \
		echo "== $$f"; \
		$$f -max_total_time=$${FUZZ_SECONDS:-20} \
			-artifact_prefix=$$f. $$f.corpus \
			2>$$f.log || { tail -40 $$f.log; exit 1; }; \
		tail -1 $$f.log; \
	done

# tests/lint/: no banned function (banned.sh), and each layer includes
# only those below it (layers.sh, whose table says which).
lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
		--inline-suppr --suppress=missingIncludeSystem -I. \
		lib adapters config gateway queue web tests/bench
	clang-format --dry-run --Werror $(wildcard */*.c */*.h tests/*/*.c)
	bash tests/lint/banned.sh
	bash tests/lint/layers.sh

# Installation, GNU style: "make install PREFIX=/usr DESTDIR=debian/hotline"
# is what the Debian package runs (debian/rules, with the units in
# /lib/systemd/system as Debian 12 has them).  The units in systemd/ name the
# packaged paths (/usr/bin/hotline, /etc/hotline, /usr/share/doc/hotline);
# install rewrites them for the bindir, sysconfdir and docdir given.  The
# example config goes to $(docdir)/hotline.example.conf, and to
# $(sysconfdir)/hotline/hotline.conf when there is none yet: an existing
# config is never touched (nor the directory's owner and mode).  It fails
# "hotline check" until its placeholders are replaced.
PREFIX ?= /usr/local
sysconfdir ?= /etc
bindir ?= $(PREFIX)/bin
datadir ?= $(PREFIX)/share
mandir ?= $(datadir)/man
docdir ?= $(datadir)/doc/hotline
unitdir ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
UNITS = hotline.service hotline-backup.service hotline-backup.timer
CONFDIR = $(DESTDIR)$(sysconfdir)/hotline

install: $(BUILD)/hotline
	$(INSTALL) -d $(DESTDIR)$(bindir) $(DESTDIR)$(mandir)/man8 \
		$(DESTDIR)$(mandir)/man5 $(DESTDIR)$(unitdir) $(DESTDIR)$(docdir)
	$(INSTALL) -m 0755 $(BUILD)/hotline $(DESTDIR)$(bindir)/hotline
	$(INSTALL) -m 0644 man/hotline.8 $(DESTDIR)$(mandir)/man8/hotline.8
	$(INSTALL) -m 0644 man/hotline.conf.5 \
		$(DESTDIR)$(mandir)/man5/hotline.conf.5
	for u in $(UNITS); do \
		sed -e 's|/usr/bin/hotline|$(bindir)/hotline|g' \
		    -e 's|/etc/hotline|$(sysconfdir)/hotline|g' \
		    -e 's|/usr/share/doc/hotline|$(docdir)|g' \
		    systemd/$$u >$(DESTDIR)$(unitdir)/$$u.tmp && \
		chmod 0644 $(DESTDIR)$(unitdir)/$$u.tmp && \
		mv $(DESTDIR)$(unitdir)/$$u.tmp $(DESTDIR)$(unitdir)/$$u || exit 1; \
	done
	$(INSTALL) -m 0644 README.md $(DESTDIR)$(docdir)/README.md
	$(INSTALL) -m 0644 config/hotline.example.conf \
		$(DESTDIR)$(docdir)/hotline.example.conf
	[ -d $(CONFDIR) ] || $(INSTALL) -d -m 0750 $(CONFDIR)
	[ -d $(CONFDIR)/credentials ] || \
		$(INSTALL) -d -m 0700 $(CONFDIR)/credentials
	[ -e $(CONFDIR)/hotline.conf ] || $(INSTALL) -m 0640 \
		config/hotline.example.conf $(CONFDIR)/hotline.conf

# Leaves $(sysconfdir)/hotline (the config, the secrets) and the database.
uninstall:
	rm -f $(DESTDIR)$(bindir)/hotline $(DESTDIR)$(mandir)/man8/hotline.8 \
		$(DESTDIR)$(mandir)/man5/hotline.conf.5 \
		$(UNITS:%=$(DESTDIR)$(unitdir)/%) \
		$(DESTDIR)$(docdir)/README.md \
		$(DESTDIR)$(docdir)/hotline.example.conf
	-rmdir $(DESTDIR)$(docdir)

clean:
	rm -rf build

.PHONY: all deps deps-runtime run demo-web demo-web-config check unit e2e browser bench fuzz lint \
	tsan tsan-run \
	install uninstall clean

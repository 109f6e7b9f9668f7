# hotline: build, test and run.
#
#   make              build/hotline
#   make run          install what is missing, build, serve config/demo.conf
#   make check        install what is missing, build, run every test
#   make SANITIZE=1 check   the same under ASan + UBSan (in build/san/)
#   make browser      the web views in headless Chromium (tests/browser/)
#   make lint         cppcheck and the clang-format check
#   make fuzz         libFuzzer targets, a short run each (check: 5 s each)
#   make bench        the intake benchmark (prints figures, asserts nothing)

# The Debian 12 packages the project needs to build, test and run.
DEB_PACKAGES = build-essential pkg-config clang cppcheck clang-format \
	libmicrohttpd-dev libcurl4-openssl-dev libssl-dev libsodium-dev \
	libjansson-dev libinih-dev libsqlite3-dev libsystemd-dev libcmocka-dev \
	sqlite3 curl openssl chromium nodejs npm

# The browser tests' npm packages (playwright-core: it never downloads a
# browser, the tests drive Debian's /usr/bin/chromium), installed by
# "make deps" with npm ci when node_modules is missing or the lock is newer.
NODE_STAMP = tests/browser/node_modules/.installed

PKGS = libmicrohttpd libcurl libsodium jansson inih sqlite3 libcrypto libsystemd

CC ?= cc
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_GNU_SOURCE \
	-I. $(shell pkg-config --cflags $(PKGS))
LDLIBS += $(shell pkg-config --libs $(PKGS)) -lpthread -lm

ifeq ($(SANITIZE),1)
BUILD = build/san
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
else
BUILD = build
endif

LIB_SRC = $(wildcard adapters/*.c config/*.c queue/*.c web/*.c) \
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

$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Every unit test links tests/unit/testlib.c, the helpers they share.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/testlib.c tests/unit/testlib.h \
		$(BUILD)/libhotline.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/unit/testlib.c \
		$(BUILD)/libhotline.a \
		$(LDLIBS) $(shell pkg-config --libs cmocka)

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

# A package counts as there when it is installed or an installed package
# provides it (NodeSource's nodejs provides npm, and conflicts with Debian's).
deps:
	@have=$$(dpkg-query -W -f='$${Status}|$${Package}, $${Provides}\n' | \
		sed -n 's/^install ok installed|//p' | tr ',' '\n' | \
		sed 's/^ *//; s/ .*//'); \
	missing=; for p in $(DEB_PACKAGES); do \
		printf '%s\n' "$$have" | grep -qxF "$$p" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		sudo=; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "installing:$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq \
			--no-install-recommends $$missing; \
	fi
	@$(MAKE) -s --no-print-directory $(NODE_STAMP)

$(NODE_STAMP): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 \
		npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: deps
	$(MAKE) all
	mkdir -p build/demo
	$(BUILD)/hotline serve --config config/demo.conf

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
	$(shell pkg-config --cflags $(PKGS))

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

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do \
		mkdir -p $$f.corpus; \
		echo "== $$f"; \
		$$f -max_total_time=$${FUZZ_SECONDS:-20} $$f.corpus \
			tests/fixtures 2>$$f.log || { tail -40 $$f.log; exit 1; }; \
		tail -1 $$f.log; \
	done

lint:
	cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,portability \
		--inline-suppr --suppress=missingIncludeSystem -I. \
		adapters config gateway queue web tests/bench
	clang-format --dry-run --Werror $(wildcard */*.c */*.h tests/*/*.c)

clean:
	rm -rf build

.PHONY: all deps run check unit e2e browser bench fuzz lint clean

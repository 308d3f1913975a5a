# Signpost.  `make run` and `make test` are the two commands a new user needs;
# both install what is missing, build, and set up a local PostgreSQL cluster.

CC	?= cc
BUILD	?= build/release
SAN	?=
PKGS	 = libmicrohttpd libpq proj libcjson libsodium zlib libcurl

WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wformat=2
CFLAGS	+= -std=c11 -g -O2 $(WARN) $(SAN)
CPPFLAGS += -D_DEFAULT_SOURCE -D_GNU_SOURCE -Iapp -I$(BUILD) \
	   $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	+= $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm
LDFLAGS	+= $(SAN)

APP_SRCS = $(wildcard app/*.c)
APP_OBJS = $(APP_SRCS:app/%.c=$(BUILD)/app/%.o) $(BUILD)/assets_data.o
LIB_OBJS = $(filter-out $(BUILD)/app/main.o,$(APP_OBJS))
ASSETS	 = $(shell find assets -type f 2>/dev/null | LC_ALL=C sort) \
	   $(wildcard node_modules/leaflet/dist/leaflet.js \
	   node_modules/leaflet/dist/leaflet.css \
	   node_modules/leaflet/dist/images/*.png)

UNIT_SRCS = $(wildcard tests/unit/test_*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
INTEG_SRCS = $(wildcard tests/integration/test_*.c)
INTEG_BINS = $(INTEG_SRCS:tests/integration/%.c=$(BUILD)/tests/%)

ASAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all

# The project-local cluster; DATABASE_URL set by the user wins.
PGDIR	 = $(CURDIR)/var/pg
LOCAL_DB = $(shell scripts/pg url $(PGDIR))
export SIGNPOST_ROOT = $(CURDIR)

.PHONY: all deps build run db test unit unit-asan integration \
	integration-asan browser fuzz bench clean distclean format

all: build

deps:
	@scripts/install-deps

# A sub-make, so that files deps brings (node_modules/leaflet) are seen.
build: deps
	@$(MAKE) --no-print-directory $(BUILD)/signpost

$(BUILD)/signpost: $(APP_OBJS)
	$(CC) $(LDFLAGS) -o $@ $(APP_OBJS) $(LDLIBS)

$(BUILD)/app/%.o: app/%.c app/*.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/embed-assets: scripts/embed-assets.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 $(WARN) -o $@ $<

$(BUILD)/assets_data.c: $(BUILD)/embed-assets $(ASSETS) Makefile
	$(BUILD)/embed-assets $@ $(ASSETS)

$(BUILD)/assets_data.o: $(BUILD)/assets_data.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c tests/unit/unit.h $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJS) \
	    $(LDLIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/test_%: tests/integration/test_%.c tests/integration/harness.h tests/integration/raw.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $(shell pkg-config --libs cmocka libcurl libcjson libpq zlib) -lm

unit-bins: $(UNIT_BINS)
integration-bins: $(INTEG_BINS) $(BUILD)/signpost

db: build
	@if [ -z "$$DATABASE_URL" ]; then scripts/pg start $(PGDIR); fi
	@DATABASE_URL="$${DATABASE_URL:-$(LOCAL_DB)}" scripts/setup-db $(BUILD)/signpost \
	    $$( [ -z "$$DATABASE_URL" ] && echo --local )

run: db
	@DATABASE_URL="$${DATABASE_URL:-$(LOCAL_DB)}" exec $(BUILD)/signpost serve

unit: deps
	@$(MAKE) --no-print-directory unit-bins
	@scripts/run-unit $(UNIT_BINS)

unit-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SAN="$(ASAN)" unit-bins
	@scripts/run-unit $(UNIT_BINS:$(BUILD)/%=build/asan/%)

integration: deps
	@$(MAKE) --no-print-directory integration-bins
	@SIGNPOST_TEST_READ_URL=same scripts/run-integration $(BUILD)/signpost \
	    $(INTEG_BINS)

integration-asan: deps
	@$(MAKE) --no-print-directory BUILD=build/asan SAN="$(ASAN)" integration-bins
	@scripts/run-integration build/asan/signpost \
	    $(INTEG_BINS:$(BUILD)/%=build/asan/%)

# Chromium (headless, /usr/bin/chromium) through playwright-core, against a
# throw-away cluster and server like the integration tests.
browser: deps build
	@scripts/run-browser $(BUILD)/signpost

# The same setup as `make run`, then every suite (each on its own throw-away
# cluster).  A local cluster this started is stopped again afterwards.
test: build
	@was_running=0; \
	if [ -z "$$DATABASE_URL" ] && scripts/pg status $(PGDIR) >/dev/null 2>&1; \
	then was_running=1; fi; \
	$(MAKE) --no-print-directory db && scripts/run-tests; rc=$$?; \
	if [ -z "$$DATABASE_URL" ] && [ $$was_running = 0 ]; then \
		scripts/pg stop $(PGDIR) >/dev/null 2>&1; fi; \
	exit $$rc

fuzz: build
	@scripts/fuzz

bench: build
	@scripts/bench $(BENCH)

format:
	clang-format -i app/*.c app/*.h

clean:
	rm -rf build

distclean: clean
	@if [ -d var/pg ]; then scripts/pg stop $(PGDIR) || true; fi
	rm -rf var node_modules

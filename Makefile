# strata: libstrata (static + shared), the strata CLI, tests, demo, install.
#
#   make            build into build/
#   make demo       install missing Debian packages, build, run the example project
#   make test       install missing packages, build with ASan+UBSan, run every test
#                   against a private PostgreSQL cluster and SQLite files
#   make install PREFIX=/usr/local
#
# SAN=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer into build-san/.

PREFIX   ?= /usr/local
SAN      ?= 0
CC       ?= cc

ifeq ($(SAN),1)
BUILD    ?= build-san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT      := -O1 -g
else
BUILD    ?= build
SANFLAGS :=
OPT      := -O2 -g
endif

CPPFLAGS += -Iinclude -Isrc -D_GNU_SOURCE -I/usr/include/postgresql
CFLAGS   += -std=c11 $(OPT) -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wno-missing-field-initializers -fPIC -fvisibility=hidden -MMD -MP $(SANFLAGS)
LDFLAGS  += $(SANFLAGS)
LIBS     := -lpq -lcrypto -linih -ljansson -lpthread
# libsqlite3 and libpg_query are opened on first use (src/lib/core/dl.c), by
# the SONAME of the library built against; expanded only where used
lib_info  = $(shell CC='$(CC)' scripts/libinfo.sh $(1) $(2))
DL_FLAGS  = -DSTRATA_SQLITE_SONAME='"$(call lib_info,soname,libsqlite3.so)"' \
            -DSTRATA_SQLITE_PACKAGE='"$(call lib_info,package,libsqlite3.so)"' \
            -DSTRATA_PG_QUERY_SONAME='"$(call lib_info,soname,libpg_query.so)"' \
            -DSTRATA_PG_QUERY_PACKAGE='"$(call lib_info,package,libpg_query.so)"'
CLI_LIBS :=

LIB_SRC  := $(wildcard src/util/*.c) $(shell find src/lib -name '*.c' | sort)
CLI_SRC  := $(wildcard src/cli/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

SONAME   := libstrata.so.0
VERSION  := $(shell sed -n 's/^\#define STRATA_VERSION "\(.*\)"/\1/p' include/strata/common.h)

.PHONY: all unit demo test bench fuzz install clean headertest check-style

all: $(BUILD)/strata $(BUILD)/libstrata.so

# V=1 shows the full commands
Q := $(if $(filter 1,$(V)),,@)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/src/lib/sql/split.o $(BUILD)/src/lib/driver/sqlite/sqlite.o: CPPFLAGS += $(DL_FLAGS)

$(BUILD)/libstrata.a: $(LIB_OBJ)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BUILD)/libstrata.so: $(LIB_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/strata: $(CLI_OBJ) $(BUILD)/libstrata.a
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libstrata.a $(LIBS) $(CLI_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libstrata.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fvisibility=default -o $@ $< $(BUILD)/libstrata.a $(LIBS) -lcmocka $(LDFLAGS)

unit: $(UNIT_BIN)

# The public header must compile alone as C99 with -pedantic.
headertest:
	@mkdir -p $(BUILD)
	@printf '#include <strata.h>\nint main(void) { return strata_version() == 0; }\n' > $(BUILD)/headertest.c
	$(Q)$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -fsyntax-only $(BUILD)/headertest.c

demo:
	@scripts/deps.sh demo
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)/strata

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory SAN=1 all unit headertest
	@scripts/check-style.sh
	@tests/run.sh build-san

bench:
	@DEPS_REPORT=bench/.tools/apt-missing.tsv scripts/deps.sh bench
	@bench/tools.sh
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(BUILD)/strata

check-style:
	@scripts/check-style.sh

# libFuzzer over the linter (clang). FUZZ_SECONDS=600 by default; the corpus
# starts from the lint cases and grows in build-fuzz/corpus.
FUZZ_SECONDS ?= 600
fuzz:
	@scripts/deps.sh fuzz
	@mkdir -p build-fuzz/corpus
	clang -std=c11 -g -O1 $(CPPFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    $(DL_FLAGS) -o build-fuzz/lint_fuzz fuzz/lint_fuzz.c $(LIB_SRC) $(LIBS)
	cp tests/lint/*.sql build-fuzz/corpus/
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp build-fuzz/lint_fuzz -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=4096 -timeout=10 -print_final_stats=1 build-fuzz/corpus

install: all $(BUILD)/libstrata.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/strata/sys \
	    $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/strata $(DESTDIR)$(PREFIX)/bin/strata
	install -m 644 $(BUILD)/libstrata.a $(DESTDIR)$(PREFIX)/lib/libstrata.a
	install -m 755 $(BUILD)/libstrata.so $(DESTDIR)$(PREFIX)/lib/libstrata.so.$(VERSION)
	ln -sf libstrata.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libstrata.so
	install -m 644 include/strata.h $(DESTDIR)$(PREFIX)/include/strata.h
	install -m 644 include/strata/*.h $(DESTDIR)$(PREFIX)/include/strata/
	install -m 644 include/strata/sys/*.h $(DESTDIR)$(PREFIX)/include/strata/sys/
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' strata.pc.in \
	    > $(DESTDIR)$(PREFIX)/lib/pkgconfig/strata.pc
	install -m 644 docs/strata.1 $(DESTDIR)$(PREFIX)/share/man/man1/strata.1

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

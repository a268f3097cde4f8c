# pg_dedupe: PGXS build of the extension, plus the project's own targets.
#   make / make install / make installcheck   the PostgreSQL extension (PGXS)
#   make test    everything: deps, build, C++ unit tests, pg_regress, pgTAP, in a throwaway cluster
#   make demo    the README's example session on real rows, in a throwaway cluster
#   make fuzz    libFuzzer targets (FUZZ_SECONDS each, default 60)
#   make bench   benchmarks that print figures; never fail on speed
#   make accuracy  FEBRL precision / recall / F1 of dedupe.cluster next to a naive baseline;
#                  golden records on write vs batch vs baseline on a generated CRM feed

EXTVERSION   = 0.1.0
MODULE_big   = pg_dedupe
CORE_SRCS   := $(sort $(wildcard src/core/*.cpp src/core/*/*.cpp))
PG_SRCS     := $(sort $(wildcard src/pg/*.cpp))
OBJS         = $(CORE_SRCS:.cpp=.o) $(PG_SRCS:.cpp=.o)

# The install script is assembled from one fragment per feature (control/sql/NN_*.sql).
MODULEDIR    = extension
SQL_PARTS   := $(sort $(wildcard control/sql/*.sql))
DATA_built   = control/pg_dedupe--$(EXTVERSION).sql
DATA         = control/pg_dedupe.control $(wildcard control/pg_dedupe--*--*.sql) $(wildcard control/data/*)

REGRESS      = $(sort $(notdir $(basename $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=pg_dedupe

# libphonenumber has no version API; record the version of the package we build against.
PHONENUMBER_VERSION := $(shell dpkg-query -W -f='$${Version}' libphonenumber-dev 2>/dev/null | sed 's/[+~].*//')
PG_CPPFLAGS  = -I$(CURDIR)/src -DDEDUPE_LIBPHONENUMBER_VERSION='"$(or $(PHONENUMBER_VERSION),unknown)"'
# -Wno-register: PostgreSQL 15's spinlock headers (pulled in by SPI and triggers) use the
# 'register' keyword that C++17 removed.
PG_CXXFLAGS  = -std=c++17 -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
               -Wno-register -fexceptions -MMD -MP
SHLIB_LINK   = -lphonenumber -lprotobuf -licui18n -licuuc -licudata -lcrypto -lstdc++

# LLVM bitcode for JIT inlining buys nothing for these functions (see DESIGN.md).
override with_llvm = no

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Header dependencies (-MMD above): a changed header rebuilds every object that includes it.
-include $(OBJS:.o=.d)
EXTRA_CLEAN += $(OBJS:.o=.d)

control/pg_dedupe--$(EXTVERSION).sql: $(SQL_PARTS)
	cat $(SQL_PARTS) > $@

.PHONY: deps test demo fuzz bench unit format accuracy
deps:
	scripts/install-deps

test: deps
	scripts/test

demo: deps
	scripts/demo

unit: deps
	scripts/unit-tests

fuzz: deps
	scripts/fuzz $(FUZZ_SECONDS)

bench: deps
	scripts/bench

# ACCURACY=batch (FEBRL and generated people through dedupe.cluster) or write_path (the
# multi-source CRM feed through watched tables; PEOPLE, MODES as in test/accuracy/write_path.sh);
# both by default.
ACCURACY ?= batch write_path
accuracy: deps
	make -s -j2 >/dev/null
	$(if $(filter batch,$(ACCURACY)),scripts/with-cluster test/accuracy/run.sh)
	$(if $(filter write_path,$(ACCURACY)),scripts/with-cluster test/accuracy/write_path.sh)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

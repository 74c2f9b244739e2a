# Territorial snapshot viewer: build, serve, test, measure.
#
#   make demo                    build everything and serve www/ on 127.0.0.1:$(PORT)
#   make test                    Rust tests + browser tests (real pack) + size budget, non-zero on failure
#   make bench                   one table in headless Chromium: the wasm viewer against the same work
#                                done with d3-geo, d3-scale, jspdf and svg2pdf.js (bench/), sizes, ratios
#   make size                    the size budget alone (scripts/size-budget.sh)
#   make atelier                 the workshop bundle: dist/atelier/, runs from file:// (no server, no network)
#   make pack | wasm | serve | clean | distclean
#   (make wasm builds both browser modules: the core in www/pkg/, the PDF
#   writer in www/pdf/, loaded on the first PDF export)
#
# Variables: DATA_DIR (raw sources, default ../shared/data), PORT (8000),
# WASM_OPT (wasm-opt level, default -Oz, see scripts/build-wasm.sh).

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules

DATA_DIR ?= ../shared/data
PORT ?= 8000
CARGO ?= cargo
export PORT

PACK := build/pack.bin
# The pack is rebuilt when missing or older than what makes it: the
# builder's sources, the parts of the core it writes with (format, search
# keys), the raw data, or when DATA_DIR points somewhere else.
BUILDER_SRCS := $(shell find data-pack/src -name '*.rs' 2>/dev/null) data-pack/Cargo.toml \
                src/schema.rs src/pack.rs src/search.rs src/lib.rs Cargo.lock
DATA_FILES := $(shell find '$(DATA_DIR)' -type f 2>/dev/null)
DATA_STAMP := build/pack.data-dir

ifeq ($(filter clean distclean,$(MAKECMDGOALS)),)
# Rewrite the stamp only when DATA_DIR changed, so its date says when.
$(shell mkdir -p build && { [ "$$(cat $(DATA_STAMP) 2>/dev/null)" = "$(abspath $(DATA_DIR))" ] || echo "$(abspath $(DATA_DIR))" > $(DATA_STAMP); })
endif

.PHONY: all demo test bench setup pack wasm serve clean distclean atelier

all: wasm pack www/pack.bin

setup:
	@bash scripts/setup.sh

pack: $(PACK)

$(PACK): $(BUILDER_SRCS) $(DATA_FILES) $(DATA_STAMP)
	@if [ ! -d '$(DATA_DIR)' ]; then \
	  echo "make: DATA_DIR=$(DATA_DIR) is not a directory: point it at the raw sources (make demo DATA_DIR=/path/to/data)" >&2; \
	  exit 1; \
	fi
	@mkdir -p build
	@echo "pack: building $(PACK) from $(DATA_DIR)"
	$(CARGO) run --release -p data-pack -- build --sources '$(DATA_DIR)' --out $(PACK)

www/pack.bin: $(PACK)
	cp $(PACK) $@

wasm: setup
	@bash scripts/build-wasm.sh

demo: setup pack wasm www/pack.bin
	@node scripts/serve.mjs --root www --port $(PORT)

serve:
	@node scripts/serve.mjs --root www --port $(PORT)

test: setup pack wasm www/pack.bin
	@status=0; \
	echo "$(CARGO) test --workspace --release --no-fail-fast"; \
	$(CARGO) test --workspace --release --no-fail-fast || status=$$?; \
	echo "node --test tests/browser/*.test.mjs"; \
	node --test tests/browser/*.test.mjs || status=$$?; \
	echo "bash scripts/size-budget.sh"; \
	bash scripts/size-budget.sh || status=$$?; \
	exit $$status

bench: setup pack wasm www/pack.bin
	@DATA_DIR='$(DATA_DIR)' bash scripts/bench.sh

# Size budget (issue 7): core wasm < 150 KB gz, pack < 3 MB gz, PDF module
# printed with a generous budget; non-zero when one is over.
.PHONY: size
size: wasm www/pack.bin
	@bash scripts/size-budget.sh

# The workshop bundle (scripts/build-workshop.mjs): copy dist/atelier/ to a
# USB stick and open index.html; no server, no network.
atelier: setup wasm www/pack.bin
	@node scripts/build-workshop.mjs --out dist/atelier

clean:
	rm -rf build dist www/pkg www/pdf www/pack.bin www/fonts

# Also the npm packages and cargo's target directory (shared with other
# builds: everything recompiles afterwards).
distclean: clean
	rm -rf node_modules
	$(CARGO) clean

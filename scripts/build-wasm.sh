#!/usr/bin/env bash
# Builds the two browser modules:
#   www/pkg/  the core (`territoire`): the viewer, loaded with the page;
#   www/pdf/  the PDF writer (`territoire-pdf`, pdf/): loaded by
#             www/pdf-worker.js on the first « Exporter en PDF » only.
# Each: cargo (profile `wasm`) → wasm-bindgen --target web → wasm-opt.
# Also copies the DejaVu Sans fonts into www/fonts/: the core lays out the
# infographics' text with DejaVu Sans metrics, so the page must draw it
# with that exact font (Debian's fonts-dejavu-core, see setup.sh); the PDF
# export embeds the same files (subset).
# Skips wasm-bindgen and wasm-opt for a module already up to date with
# cargo's output, and prints both modules' sizes (raw and gzip -9); their
# budgets are checked by scripts/size-budget.sh (`make size`).
#
# WASM_OPT sets the wasm-opt level. Default -Oz: measured in headless
# Chromium on 2 cores, -O3 and -Oz load a pack (new Viewer: copy, CRC-32,
# rkyv validation) and search at the same speed within noise (load time is
# memory copy and checksum bound), and -Oz is the smaller (wasm-bindgen
# output 235 KB → -Oz 162.7 KB / 81.0 KB gzipped, -O3 163.9 KB / 81.4 KB).
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_OPT="${WASM_OPT:--Oz}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"

# The fonts first: cheap, and needed even when the wasm is up to date.
FONT_DIR="${DEJAVU_DIR:-/usr/share/fonts/truetype/dejavu}"
mkdir -p www/fonts
for font in DejaVuSans.ttf DejaVuSans-Bold.ttf; do
    if [ ! -f "$FONT_DIR/$font" ]; then
        echo "build-wasm: $FONT_DIR/$font is missing: install Debian's fonts-dejavu-core (scripts/setup.sh does)" >&2
        exit 1
    fi
    if ! cmp -s "$FONT_DIR/$font" "www/fonts/$font"; then
        cp "$FONT_DIR/$font" "www/fonts/$font"
        chmod 644 "www/fonts/$font"
    fi
done

# The crates are rlibs in Cargo.toml; the cdylibs are asked for here, so
# that LTO applies and native test builds never collide with them.
for crate in territoire territoire-pdf; do
    cargo rustc --lib --crate-type cdylib --target wasm32-unknown-unknown --profile wasm -p "$crate" ${CARGO_QUIET:+--quiet}
done

mkdir -p build
tmp=""
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT

# build_module NAME OUT: target/…/NAME.wasm → OUT/NAME.js + OUT/NAME_bg.wasm.
build_module() {
    local name="$1" out="$2"
    local raw="$TARGET_DIR/wasm32-unknown-unknown/wasm/$name.wasm"
    local wasm="$out/${name}_bg.wasm" stamp="$out/.wasm-opt-level"
    if [ -f "$wasm" ] && [ -f "$out/$name.js" ] && [ -f "$stamp" ] \
            && [ "$(cat "$stamp")" = "$WASM_OPT" ] && [ ! "$raw" -nt "$wasm" ]; then
        printf 'wasm: %s up to date: %s B, gzip -9 %s B\n' \
            "$wasm" "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
        return 0
    fi
    tmp="$(mktemp -d "build/$(basename "$out").XXXXXX")"
    chmod 755 "$tmp"
    wasm-bindgen --target web --no-typescript --out-dir "$tmp" "$raw"
    local before after
    before=$(stat -c %s "$tmp/${name}_bg.wasm")
    node_modules/.bin/wasm-opt $WASM_OPT "$tmp/${name}_bg.wasm" -o "$tmp/${name}_bg.opt.wasm"
    mv "$tmp/${name}_bg.opt.wasm" "$tmp/${name}_bg.wasm"
    after=$(stat -c %s "$tmp/${name}_bg.wasm")
    echo "$WASM_OPT" > "$tmp/.wasm-opt-level"
    rm -rf "$out"
    mkdir -p "$(dirname "$out")"
    mv "$tmp" "$out"
    tmp=""
    printf 'wasm: %s (wasm-bindgen %s B → wasm-opt %s %s B, gzip -9 %s B)\n' \
        "$wasm" "$before" "$WASM_OPT" "$after" "$(gzip -9c "$wasm" | wc -c)"
}

build_module territoire www/pkg
build_module territoire_pdf www/pdf

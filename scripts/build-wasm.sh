#!/usr/bin/env bash
# Builds the core for the browser into www/pkg/:
#   cargo (profile `wasm`) → wasm-bindgen --target web → wasm-opt.
# Also copies the DejaVu Sans fonts into www/fonts/: the core lays out the
# infographics' text with DejaVu Sans metrics, so the page must draw it
# with that exact font (Debian's fonts-dejavu-core, see setup.sh).
# Skips wasm-bindgen and wasm-opt when www/pkg is already up to date with
# cargo's output.
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
RAW="$TARGET_DIR/wasm32-unknown-unknown/wasm/territoire.wasm"
OUT=www/pkg
STAMP="$OUT/.wasm-opt-level"

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

# The crate is an rlib in Cargo.toml; the cdylib is asked for here, so that
# LTO applies and native test builds never collide with it.
cargo rustc --lib --crate-type cdylib --target wasm32-unknown-unknown --profile wasm -p territoire ${CARGO_QUIET:+--quiet}

if [ -f "$OUT/territoire_bg.wasm" ] && [ -f "$OUT/territoire.js" ] && [ -f "$STAMP" ] \
        && [ "$(cat "$STAMP")" = "$WASM_OPT" ] && [ ! "$RAW" -nt "$OUT/territoire_bg.wasm" ]; then
    exit 0
fi

mkdir -p build
tmp="$(mktemp -d build/pkg.XXXXXX)"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$tmp" "$RAW"
before=$(stat -c %s "$tmp/territoire_bg.wasm")
node_modules/.bin/wasm-opt $WASM_OPT "$tmp/territoire_bg.wasm" -o "$tmp/territoire_bg.opt.wasm"
mv "$tmp/territoire_bg.opt.wasm" "$tmp/territoire_bg.wasm"
after=$(stat -c %s "$tmp/territoire_bg.wasm")
echo "$WASM_OPT" > "$tmp/.wasm-opt-level"
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$tmp" "$OUT"
trap - EXIT
printf 'wasm: %s (wasm-bindgen %s B → wasm-opt %s %s B, gzip -9 %s B)\n' \
    "$OUT/territoire_bg.wasm" "$before" "$WASM_OPT" "$after" "$(gzip -9c "$OUT/territoire_bg.wasm" | wc -c)"

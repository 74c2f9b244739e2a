#!/usr/bin/env bash
# `make bench`: prints one table (measured, never asserted) comparing the
# viewer (WebAssembly core + PDF module) with the same work written with
# the JavaScript libraries a partner site would use (d3-geo, d3-scale,
# jsPDF, svg2pdf.js), in headless Chromium, on the same data:
#   - cold start to the nine infographics and the map drawn, territory
#     switch, France EPCI choropleth, PDF export, data load;
#   - natively: the pack build time and the pack load time
#     (examples/load_bench.rs, median of $RUNS), and the core's snapshot and
#     France choropleth by phase (examples/core_bench.rs);
#   - sizes: core wasm, PDF module, pack (raw, gzip -9), PDF files.
# The JavaScript side reads build/bench-data/ (epci.geojson,
# indicators.json), exported from the pack by `data-pack export-json`
# (re-exported when missing or older than the pack or the builder).
# scripts/bench-browser.mjs runs the pages (bench/wasm.html, bench/js.html)
# and prints the table.
# Expects `make pack wasm www/pack.bin` done and `npm ci` (the Makefile
# does both).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="${DATA_DIR:-../shared/data}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
RUNS="${RUNS:-21}"
PACK=build/pack.bin
WASM=www/pkg/territoire_bg.wasm
PDF_WASM=www/pdf/territoire_pdf_bg.wasm
BENCH_DATA=build/bench-data

for f in "$PACK" "$WASM" "$PDF_WASM" www/pack.bin; do
    [ -f "$f" ] || { echo "bench: $f is missing: run make pack wasm first" >&2; exit 1; }
done
for p in d3-geo d3-scale jspdf svg2pdf.js playwright-core; do
    [ -d "node_modules/$p" ] || { echo "bench: node_modules/$p is missing: run npm ci (scripts/setup.sh)" >&2; exit 1; }
done

echo "bench: compiling the builder, load_bench and core_bench (not timed)" >&2
cargo build --release --quiet -p data-pack
cargo build --release --quiet --example load_bench --example core_bench -p territoire

BUILDER="$TARGET_DIR/release/data-pack"
if [ ! -f "$BENCH_DATA/indicators.json" ] || [ ! -f "$BENCH_DATA/epci.geojson" ] \
    || [ "$PACK" -nt "$BENCH_DATA/indicators.json" ] || [ "$BUILDER" -nt "$BENCH_DATA/indicators.json" ]; then
    echo "bench: exporting $PACK as GeoJSON and JSON into $BENCH_DATA/" >&2
    "$BUILDER" export-json --pack "$PACK" --out "$BENCH_DATA"
fi

echo "bench: building a pack from $DATA_DIR (timed)" >&2
mkdir -p build/bench
start=$(date +%s.%N)
"$BUILDER" build --sources "$DATA_DIR" --out build/bench/pack.bin >build/bench/build.log 2>&1 \
    || { cat build/bench/build.log >&2; echo "bench: the pack build failed" >&2; exit 1; }
end=$(date +%s.%N)
build_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
rm -f build/bench/pack.bin

echo "bench: pack load natively ($RUNS runs)" >&2
native_ms=$("$TARGET_DIR/release/examples/load_bench" "$PACK" "$RUNS" --ms)

echo "bench: the core's snapshot and France choropleth natively ($RUNS runs)" >&2
echo
"$TARGET_DIR/release/examples/core_bench" "$PACK" "$RUNS"

echo "bench: headless Chromium, wasm against JavaScript (a few minutes)" >&2
echo
node scripts/bench-browser.mjs --build-s "$build_s" --native-load-ms "$native_ms" --native-runs "$RUNS"

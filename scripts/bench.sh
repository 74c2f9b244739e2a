#!/usr/bin/env bash
# `make bench`: prints one table of numbers (measured, not asserted).
#   - pack build time (the data-pack binary, already compiled, run once)
#   - pack size raw and gzip -9
#   - pack load time natively (examples/load_bench.rs) and in headless
#     Chromium (scripts/bench-browser.mjs), median of several runs
#   - core wasm size raw and gzip -9, after wasm-opt
#   - PDF module (www/pdf/) size raw and gzip -9, and in headless Chromium
#     the PDF export of Nantes Métropole (click → download: the first with
#     the module's load, then the median of 3) and the PDF's size
# Expects `make pack wasm www/pack.bin` done (the Makefile does it).
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR="${DATA_DIR:-../shared/data}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
RUNS="${RUNS:-21}"
PACK=build/pack.bin
WASM=www/pkg/territoire_bg.wasm
PDF_WASM=www/pdf/territoire_pdf_bg.wasm

for f in "$PACK" "$WASM" www/pack.bin; do
    [ -f "$f" ] || { echo "bench: $f is missing: run make pack wasm first" >&2; exit 1; }
done

echo "bench: compiling the builder and load_bench (not timed)" >&2
cargo build --release --quiet -p data-pack
cargo build --release --quiet --example load_bench -p territoire

echo "bench: building a pack from $DATA_DIR (timed)" >&2
mkdir -p build/bench
start=$(date +%s.%N)
"$TARGET_DIR/release/data-pack" build --sources "$DATA_DIR" --out build/bench/pack.bin >build/bench/build.log 2>&1 \
    || { cat build/bench/build.log >&2; echo "bench: the pack build failed" >&2; exit 1; }
end=$(date +%s.%N)
build_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
rm -f build/bench/pack.bin

echo "bench: load times (native: $RUNS runs; Chromium: 9 runs)" >&2
native_ms=$("$TARGET_DIR/release/examples/load_bench" "$PACK" "$RUNS" --ms)
browser_ms=$(node scripts/bench-browser.mjs 9)

# The PDF export, in the page as a user does it (tests/browser/lib.mjs).
pdf_export=""
if [ -f "$PDF_WASM" ]; then
    echo "bench: PDF export of Nantes Métropole in Chromium (1 + 3 runs)" >&2
    pdf_export=$(node --input-type=module -e '
import { launchBrowser, measurePdfExport, openViewer, startServer, WWW } from "./tests/browser/lib.mjs";
const server = await startServer({ root: WWW, port: 0 });
const browser = await launchBrowser();
try {
  const { page } = await openViewer(browser, `${server.url}?territoire=epci:244400404`);
  await page.locator("#fiche-title", { hasText: "Nantes" }).waitFor();
  const r = await measurePdfExport(page, 3);
  console.log(`${r.first} ${r.median} ${r.bytes} ${r.pages}`);
} finally {
  await browser.close();
  await server.close();
}' 2>build/bench/pdf.log) || { cat build/bench/pdf.log >&2; echo "bench: the PDF export failed (row left out)" >&2; pdf_export=""; }
fi

size() { stat -c %s "$1"; }
gz() { gzip -9c "$1" | wc -c; }
human() { awk -v b="$1" 'BEGIN { if (b >= 1048576) printf "%.2f MiB", b / 1048576; else printf "%.1f KiB", b / 1024 }'; }

pack_raw=$(size "$PACK"); pack_gz=$(gz "$PACK")
wasm_raw=$(size "$WASM"); wasm_gz=$(gz "$WASM")
opt_level=$(cat www/pkg/.wasm-opt-level 2>/dev/null || echo "?")

printf '\n%-44s %s\n' "measure" "value"
printf '%-44s %s\n' "--------------------------------------------" "------------------------------"
printf '%-44s %s s\n' "pack build time (data-pack build)" "$build_s"
printf '%-44s %s B (%s)\n' "pack size, raw" "$pack_raw" "$(human "$pack_raw")"
printf '%-44s %s B (%s)\n' "pack size, gzip -9" "$pack_gz" "$(human "$pack_gz")"
printf '%-44s %s ms\n' "pack load, native (median of $RUNS)" "$native_ms"
printf '%-44s %s ms\n' "pack load, headless Chromium (median of 9)" "$browser_ms"
printf '%-44s %s B (%s)\n' "core wasm after wasm-opt $opt_level, raw" "$wasm_raw" "$(human "$wasm_raw")"
printf '%-44s %s B (%s)\n' "core wasm after wasm-opt $opt_level, gzip -9" "$wasm_gz" "$(human "$wasm_gz")"
if [ -f "$PDF_WASM" ]; then
    pdf_raw=$(size "$PDF_WASM"); pdf_gz=$(gz "$PDF_WASM")
    pdf_level=$(cat www/pdf/.wasm-opt-level 2>/dev/null || echo "?")
    printf '%-44s %s B (%s)\n' "PDF module after wasm-opt $pdf_level, raw" "$pdf_raw" "$(human "$pdf_raw")"
    printf '%-44s %s B (%s)\n' "PDF module after wasm-opt $pdf_level, gzip -9" "$pdf_gz" "$(human "$pdf_gz")"
fi
if [ -n "$pdf_export" ]; then
    read -r pdf_first pdf_median pdf_bytes pdf_pages <<<"$pdf_export"
    printf '%-44s %s ms\n' "PDF export, first (with module load)" "$pdf_first"
    printf '%-44s %s ms\n' "PDF export, median of 3 after the first" "$pdf_median"
    printf '%-44s %s B (%s, %s pages)\n' "PDF size (Nantes, EPCI 244400404)" "$pdf_bytes" "$(human "$pdf_bytes")" "$pdf_pages"
fi

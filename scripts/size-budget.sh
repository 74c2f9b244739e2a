#!/usr/bin/env bash
# The size budget of what the browser downloads (issue 7): prints each
# file's size, raw and gzip -9, with its budget on the gzipped size, and
# exits non-zero when one is over (or missing: build it first, `make all`).
#
#   core wasm  www/pkg/territoire_bg.wasm       < 150 KB gz (150,000 B): loaded with the page
#   PDF wasm   www/pdf/territoire_pdf_bg.wasm   < 1 MiB gz (1,048,576 B): loaded on the first export
#   pack       www/pack.bin                     < 3 MB gz (3,000,000 B)
#
# KB and MB are read as 1,000 and 1,000,000 bytes, the stricter reading of
# the targets.
#
# `make size` runs it. Budgets can be overridden for an experiment:
# CORE_BUDGET=… PDF_BUDGET=… PACK_BUDGET=… (bytes, gzipped).
set -euo pipefail
cd "$(dirname "$0")/.."

CORE_BUDGET="${CORE_BUDGET:-150000}"
PDF_BUDGET="${PDF_BUDGET:-1048576}"
PACK_BUDGET="${PACK_BUDGET:-3000000}"

status=0
printf '%-12s %-34s %12s %12s %12s  %s\n' "what" "file" "raw B" "gzip -9 B" "budget B" "verdict"
check() {
    local what="$1" file="$2" budget="$3"
    if [ ! -f "$file" ]; then
        printf '%-12s %-34s %12s %12s %12d  %s\n' "$what" "$file" "-" "-" "$budget" "MISSING (make all)"
        status=1
        return
    fi
    local raw gz verdict
    raw=$(stat -c %s "$file")
    gz=$(gzip -9c "$file" | wc -c)
    if [ "$gz" -le "$budget" ]; then
        verdict="ok ($(( (budget - gz) )) B to spare)"
    else
        verdict="OVER by $(( gz - budget )) B"
        status=1
    fi
    printf '%-12s %-34s %12d %12d %12d  %s\n' "$what" "$file" "$raw" "$gz" "$budget" "$verdict"
}

check "core wasm" www/pkg/territoire_bg.wasm "$CORE_BUDGET"
check "PDF wasm" www/pdf/territoire_pdf_bg.wasm "$PDF_BUDGET"
check "pack" www/pack.bin "$PACK_BUDGET"

if [ "$status" -ne 0 ]; then
    echo "size-budget: over budget (or missing): see above" >&2
fi
exit "$status"

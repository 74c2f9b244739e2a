// `make bench`, browser part: the viewer (WebAssembly core + PDF module,
// bench/wasm.html) against the same work written with the JavaScript
// libraries a partner site would use (d3-geo, d3-scale, jsPDF,
// svg2pdf.js; bench/js.html) on the same data (build/bench-data/, exported
// from the pack by `data-pack export-json`), in headless Chromium, and
// prints one table with the ratios and the targets. Numbers are printed,
// never asserted.
//
//   node scripts/bench-browser.mjs [--build-s S] [--native-load-ms MS] [--native-runs N]
//
// The native figures (pack build time, pack load natively) come from
// scripts/bench.sh and are printed as rows of the same table.
//
// How both sides are measured, the same way: inside the page with
// performance.now(); a timed operation is its synchronous work plus a
// forced layout (document.body.offsetHeight), the panels laid out as the
// viewer page does (those near the screen; content-visibility, see
// bench/README.md), the territory switch a second time with all nine laid
// out; cold start is navigation
// start → nine infographics and the map in the DOM and laid out, in a fresh
// browser context each run (empty HTTP cache; the server sends no-store);
// the other operations run with both pages open side by side (one fresh
// context each), in interleaved batches whose order alternates, each batch
// after one untimed warm-up, so a busy machine slows both sides alike; the
// PDF export is timed from its call to the download (the first with the
// libraries' or module's load, then the median of the next ones).

import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

import { launchBrowser, requireBuiltPage, ROOT, startServer } from "../tests/browser/lib.mjs";

const COLD_RUNS = 5;
const SWITCHES = 21;
const CHOROPLETHS = 11;
const PDF_RUNS = 5; // after the first
const LOAD_RUNS = 7;
const ROUNDS = 3; // interleaved batches of switches, choropleths and loads
const START = "epci:244400404"; // Nantes Métropole

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

requireBuiltPage();
const DATA = join(ROOT, "build", "bench-data");
for (const f of ["indicators.json", "epci.geojson"]) {
  if (!existsSync(join(DATA, f))) {
    throw new Error(`build/bench-data/${f} is missing: run \`target/release/data-pack export-json --out build/bench-data\` (make bench does)`);
  }
}
for (const f of ["node_modules/d3-geo", "node_modules/d3-scale", "node_modules/jspdf", "node_modules/svg2pdf.js"]) {
  if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`npm ci\` (scripts/setup.sh does)`);
}

// Serve only what the two pages need: a root of symlinks to www/, bench/,
// node_modules/ and build/bench-data/ (not the whole repository).
const SERVE = join(ROOT, "build", "bench-root");
rmSync(SERVE, { recursive: true, force: true });
mkdirSync(join(SERVE, "build"), { recursive: true });
for (const [link, target] of [
  ["www", "www"],
  ["bench", "bench"],
  ["node_modules", "node_modules"],
  [join("build", "bench-data"), join("build", "bench-data")],
]) {
  symlinkSync(relative(join(SERVE, link, ".."), join(ROOT, target)), join(SERVE, link));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// The fixed list of study territories switched to: metropolitan EPCI with
// an outline, evenly spread over the code order.
const geo = JSON.parse(readFileSync(join(DATA, "epci.geojson"), "utf8"));
const keys = geo.features.map((f) => f.properties.key).sort();
const TERRITORIES = Array.from({ length: SWITCHES }, (_, i) => keys[Math.floor((i * keys.length) / SWITCHES)]);

const server = await startServer({ root: SERVE, port: 0 });
const browser = await launchBrowser();
const PAGES = { wasm: "bench/wasm.html", js: "bench/js.html" };

async function open(context, side) {
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${server.url}${PAGES[side]}?territoire=${START}`);
  await page.waitForFunction(() => window.benchReady, null, { timeout: 120_000 });
  const ready = await page.evaluate(() => window.benchReady);
  if (ready.error) throw new Error(`${side}: the page failed: ${ready.error}`);
  if (problems.length) throw new Error(`${side}: ${problems.join("; ")}`);
  return { page, ready };
}

/** In the page: `runs` data loads from bytes already fetched (after one
 * warm-up): wasm `new Viewer(pack)`, JS `JSON.parse` of both files + the
 * index the JS side builds. */
async function loadTimes({ side, runs }) {
  const times = [];
  if (side === "wasm") {
    const core = await import("/www/pkg/territoire.js");
    const bytes = new Uint8Array(await (await fetch("/www/pack.bin")).arrayBuffer());
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const v = new core.Viewer(bytes);
      times.push(performance.now() - t0);
      v.free();
    }
  } else {
    const { Data } = await import("/bench/js/data.js");
    const [a, b] = await Promise.all(
      ["indicators.json", "epci.geojson"].map(async (f) => (await fetch(`/build/bench-data/${f}`)).text()),
    );
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const d = new Data(JSON.parse(a), JSON.parse(b));
      times.push(performance.now() - t0);
      if (!d.territories.length) throw new Error("no territory");
    }
  }
  times.shift(); // warm-up
  return times;
}

const results = { wasm: {}, js: {} };
const failures = [];
try {
  // Cold start, alternating the sides, a fresh context each time.
  const cold = { wasm: [], js: [] };
  process.stderr.write(`bench: cold starts (${COLD_RUNS} per side, alternating)\n`);
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const side of i % 2 ? ["js", "wasm"] : ["wasm", "js"]) {
      const context = await browser.newContext();
      try {
        const { ready } = await open(context, side);
        cold[side].push(ready.coldMs);
      } finally {
        await context.close();
      }
    }
  }
  // The other measures: both pages open side by side (a fresh context
  // each), the batches interleaved and their order alternated, so a busy
  // machine slows both sides alike; medians over all the samples.
  const pages = {};
  const contexts = [];
  for (const side of ["wasm", "js"]) {
    results[side].cold = median(cold[side]);
    const context = await browser.newContext({ acceptDownloads: true });
    contexts.push(context);
    pages[side] = (await open(context, side)).page;
  }
  try {
    const fresh = () => ({ switch: [], switchAll: [], choropleth: [], load: [], pdf: [], switchPart: [], choroplethPart: [] });
    const samples = { wasm: fresh(), js: fresh() };
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`bench: switches, choropleths, data loads: round ${round + 1} of ${ROUNDS}\n`);
      for (const side of round % 2 ? ["js", "wasm"] : ["wasm", "js"]) {
        const page = pages[side];
        samples[side].switch.push(...(await page.evaluate((k) => window.bench.switches(k), TERRITORIES)));
        samples[side].switchAll.push(...(await page.evaluate((k) => window.bench.switches(k, { allLaidOut: true }), TERRITORIES)));
        samples[side].choropleth.push(...(await page.evaluate((n) => window.bench.choropleths(n), CHOROPLETHS)));
        samples[side].load.push(...(await page.evaluate(loadTimes, { side, runs: LOAD_RUNS })));
        const parts = await page.evaluate(({ k, n }) => window.bench.parts(k, n), { k: TERRITORIES, n: CHOROPLETHS });
        samples[side].switchPart.push(...parts.snapshot);
        samples[side].choroplethPart.push(...parts.map);
      }
    }
    for (const side of ["wasm", "js"]) {
      for (const k of ["switch", "switchAll", "choropleth", "load", "switchPart", "choroplethPart"]) {
        results[side][k] = median(samples[side][k]);
      }
    }
    // PDF: the first export of each side (with the PDF code's load), then
    // PDF_RUNS more each, alternating.
    const pdfOk = { wasm: true, js: true };
    for (let round = 0; round <= PDF_RUNS; round++) {
      process.stderr.write(`bench: PDF exports: round ${round + 1} of ${PDF_RUNS + 1}\n`);
      for (const side of round % 2 ? ["js", "wasm"] : ["wasm", "js"]) {
        if (!pdfOk[side]) continue;
        try {
          const pdf = await pages[side].evaluate(() => window.bench.pdfs(1));
          if (round === 0) results[side].pdfFirst = pdf.times[0];
          else samples[side].pdf.push(pdf.times[0]);
          results[side].pdfBytes = pdf.bytes;
          results[side].pdfPages = pdf.pages;
        } catch (err) {
          // The rest of the table is still worth printing.
          pdfOk[side] = false;
          failures.push(`${side}: PDF export failed: ${err.message.split("\n")[0]}`);
        }
      }
    }
    for (const side of ["wasm", "js"]) if (samples[side].pdf.length) results[side].pdf = median(samples[side].pdf);
  } finally {
    for (const c of contexts) await c.close();
  }
} finally {
  await browser.close();
  await server.close();
}

// ---- sizes -------------------------------------------------------------------------

const file = (p) => readFileSync(join(ROOT, p));
function sizes(paths) {
  let raw = 0;
  let gz = 0;
  for (const p of paths) {
    const b = file(p);
    raw += b.length;
    gz += gzipSync(b, { level: 9 }).length;
  }
  return { raw, gz };
}
const D3 = ["d3-array", "d3-color", "d3-interpolate", "d3-format", "d3-time", "d3-time-format", "d3-scale", "d3-geo"].map(
  (p) => `node_modules/${p}/dist/${p}.min.js`,
);
const JS_CODE = [...D3, "bench/js/main.js", "bench/js/data.js", "bench/js/panels.js", "bench/js/charts.js", "bench/js/map.js", "bench/js/pdf.js"];
const size = {
  core: { wasm: sizes(["www/pkg/territoire_bg.wasm", "www/pkg/territoire.js"]), js: sizes(JS_CODE) },
  coreWasmOnly: sizes(["www/pkg/territoire_bg.wasm"]),
  pdf: {
    wasm: sizes(["www/pdf/territoire_pdf_bg.wasm", "www/pdf/territoire_pdf.js", "www/pdf-worker.js"]),
    js: sizes(["node_modules/jspdf/dist/jspdf.umd.min.js", "node_modules/svg2pdf.js/dist/svg2pdf.umd.min.js"]),
  },
  pdfWasmOnly: sizes(["www/pdf/territoire_pdf_bg.wasm"]),
  pack: { wasm: sizes(["build/pack.bin"]), js: sizes(["build/bench-data/indicators.json", "build/bench-data/epci.geojson"]) },
};

// ---- the table -----------------------------------------------------------------------

const ms = (v) => (v === undefined || v === null || Number.isNaN(v) ? "—" : v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const kb = (b) => (b >= 1024 * 1024 ? `${(b / 1048576).toFixed(2)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const ratio = (w, j) => (w === undefined || j === undefined ? "—" : ratio2(w, j));
const ratio2 = (w, j) => (w > 0 && j > 0 ? `${(j / w).toFixed(1)}×` : "—");
const yes = (b) => (b ? "yes" : "NO");

const rows = [];
function timed(label, key, limit) {
  const w = results.wasm[key];
  const j = results.js[key];
  const target = limit ? `< ${limit >= 1000 ? `${limit / 1000} s` : `${limit} ms`}, < JS` : "< JS";
  const met = w !== undefined && j !== undefined && (limit ? w < limit : true) && w < j;
  rows.push([label, ms(w), ms(j), ratio(w, j), target, yes(met)]);
}
function info(label, key) {
  rows.push([label, ms(results.wasm[key]), ms(results.js[key]), ratio(results.wasm[key], results.js[key]), "(info)", ""]);
}
timed(`cold start → 9 infographics + map (median of ${COLD_RUNS})`, "cold");
timed(`territory switch, as the page lays out (median of ${ROUNDS} × ${SWITCHES} EPCI)`, "switch", 8);
timed("  the same, all nine panels laid out at once", "switchAll", 8);
info("  of which before the DOM (wasm: viewer.infographics; JS: panels + detached SVG)", "switchPart");
timed(`France EPCI choropleth (median of ${ROUNDS} × ${CHOROPLETHS})`, "choropleth", 20);
info("  of which before the DOM (wasm: viewer.map; JS: paths + fills)", "choroplethPart");
timed("PDF export, first (with PDF code load)", "pdfFirst", 2000);
timed(`PDF export (median of ${PDF_RUNS} after the first)`, "pdf", 2000);
rows.push([
  `data load, fetch excluded (median of ${ROUNDS} × ${LOAD_RUNS})`,
  ms(results.wasm.load),
  ms(results.js.load),
  ratio(results.wasm.load, results.js.load),
  "(info)",
  "",
]);
if (opt("native-load-ms")) rows.push([`pack load, native (median of ${opt("native-runs") ?? "?"})`, `${opt("native-load-ms")} ms`, "", "", "(info)", ""]);
if (opt("build-s")) rows.push(["pack build time (data-pack build)", `${opt("build-s")} s`, "", "", "(info)", ""]);
// Targets in decimal units, the stricter reading of "150 KB" and "3 MB".
const sized = (label, s, limit) => {
  const target = limit ? `< ${limit / 1e6} MB` : "(info)";
  rows.push([label, kb(s.wasm), kb(s.js), ratio(s.wasm, s.js), target, limit ? yes(s.wasm < limit) : ""]);
};
rows.push(["— sizes —", "", "", "", "", ""]);
const level = (dir) => {
  try {
    return readFileSync(join(ROOT, dir, ".wasm-opt-level"), "utf8").trim();
  } catch {
    return "?";
  }
};
rows.push([`core wasm alone (wasm-opt ${level("www/pkg")}), raw`, kb(size.coreWasmOnly.raw), "", "", "(info)", ""]);
rows.push([
  "core wasm alone, gzip -9",
  `${kb(size.coreWasmOnly.gz)} (${size.coreWasmOnly.gz} B)`,
  "",
  "",
  "< 150 KB (150,000 B)",
  yes(size.coreWasmOnly.gz < 150_000),
]);
sized("startup code raw (wasm+glue | d3 UMD + bench/js)", { wasm: size.core.wasm.raw, js: size.core.js.raw });
sized("startup code gzip -9", { wasm: size.core.wasm.gz, js: size.core.js.gz });
rows.push([`PDF wasm alone (wasm-opt ${level("www/pdf")}), raw`, kb(size.pdfWasmOnly.raw), "", "", "(info)", ""]);
rows.push(["PDF wasm alone, gzip -9", kb(size.pdfWasmOnly.gz), "", "", "(info)", ""]);
sized("PDF code raw (module+glue+worker | jspdf+svg2pdf)", { wasm: size.pdf.wasm.raw, js: size.pdf.js.raw });
sized("PDF code gzip -9", { wasm: size.pdf.wasm.gz, js: size.pdf.js.gz });
sized("data raw (pack.bin | indicators.json + epci.geojson)", { wasm: size.pack.wasm.raw, js: size.pack.js.raw });
sized("data gzip -9", { wasm: size.pack.wasm.gz, js: size.pack.js.gz }, 3_000_000);
rows.push([
  "PDF file (Nantes Métropole)",
  results.wasm.pdfBytes ? `${kb(results.wasm.pdfBytes)}, ${results.wasm.pdfPages} p.` : "—",
  results.js.pdfBytes ? `${kb(results.js.pdfBytes)}, ${results.js.pdfPages} p.` : "—",
  ratio(results.wasm.pdfBytes, results.js.pdfBytes),
  "(info)",
  "",
]);

const head = ["measure", "wasm", "JS", "JS/wasm", "target", "met?"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");
console.log(line(head));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));
console.log(
  `\nwasm: www/pkg (core) + www/pdf (PDF module, via www/pdf-export.js and its worker); JS: d3-geo, d3-scale, jsPDF, svg2pdf.js ` +
    `(versions in package.json) on build/bench-data/. Territories switched: ${TERRITORIES.length} metropolitan EPCI from ${TERRITORIES[0]} to ${TERRITORIES[TERRITORIES.length - 1]}.`,
);
console.log(`Load average during the run (1, 5, 15 min): ${loadavg().map((l) => l.toFixed(2)).join(", ")} on this machine's CPUs (shared: timings vary).`);
for (const f of failures) console.log(`bench: ${f}`);
if (failures.length) process.exitCode = 1;

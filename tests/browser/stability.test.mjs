// Stability of a long session, with the real pack in Debian's headless
// Chromium: in one page, 1,000 territory switches through the EPCI of
// France (the page's own path: the URL changes, popstate, the snapshot and
// the map redrawn as for a pick in the search) and 20 PDF exports. The DOM
// holds the same number of elements whenever the same territory is shown
// again, and neither the core's wasm memory, the PDF module's, nor the JS
// heap grows after the warm-up by anything near what a leak of each
// switch's (or export's) output would add. The numbers are printed.
//
//   node --test tests/browser/stability.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";

import { openViewer } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const SWITCHES = 1000;
const WARM_UP = 100;
const EXPORTS = 20;
const HOME = "epci:244400404"; // Nantes Métropole: shown at every checkpoint
const MiB = 1024 * 1024;

const env = useBrowser();

const mib = (bytes) => `${(bytes / MiB).toFixed(2)} MiB`;

async function mapReady(page) {
  await page.waitForFunction(() => ["ready", "error"].includes(document.getElementById("cartes")?.dataset.mapState), null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.getElementById("cartes").dataset.mapState), "ready", await page.locator("#map-error").textContent());
}

/** The keys of the EPCI of France, from the France EPCI map's territories. */
async function epciKeys() {
  const { page } = await openViewer(env.browser, `${env.server.url}?carte=france_epci`);
  await mapReady(page);
  const keys = await page.evaluate(() => [...new Set([...document.querySelectorAll("#map-canvas [data-id]")].map((e) => e.getAttribute("data-id")))]);
  await page.close();
  return keys.filter((k) => k.startsWith("epci:"));
}

/**
 * Shows each territory of `keys` in turn the way the page restores a view
 * from the URL (history + popstate → snapshot, comparisons, comments, map),
 * yielding to the event loop every 10 switches. Returns the median
 * instantane:render and instantane:map times and the wall time.
 */
function switchAll(page, keys) {
  return page.evaluate(async (keys) => {
    performance.clearMeasures();
    const t0 = performance.now();
    for (const [i, key] of keys.entries()) {
      history.replaceState(null, "", `?territoire=${key}`);
      dispatchEvent(new PopStateEvent("popstate"));
      if (document.getElementById("fiche").hidden) throw new Error(`${key}: no snapshot (${document.getElementById("error-message").textContent})`);
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 0));
    }
    const wall = performance.now() - t0;
    const median = (name) => {
      const d = performance.getEntriesByName(name).map((e) => e.duration).sort((a, b) => a - b);
      return d.length ? d[Math.floor(d.length / 2)] : NaN;
    };
    const out = { wall, render: median("instantane:render"), snapshot: median("instantane:snapshot"), map: median("instantane:map") };
    performance.clearMeasures(); // the page's measures are for tests: do not count them
    return out;
  }, keys);
}

/** DOM elements, core wasm memory, JS and DOM heaps (after a forced GC). */
async function sample(page, cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const heap = await cdp.send("Runtime.getHeapUsage");
  const page_ = await page.evaluate(async () => {
    // The page's own instance: same module URL, same realm, already started.
    const core = await (await import("./pkg/territoire.js")).default();
    return {
      dom: document.getElementsByTagName("*").length,
      wasm: core.memory.buffer.byteLength,
      // What one switch produces: the nine SVGs and the map's.
      output: [...document.querySelectorAll("#panels svg.infographic, #map-canvas svg")].reduce((n, s) => n + s.outerHTML.length, 0),
    };
  });
  // usedSize: V8's heap; embedderHeapUsedSize: Blink's (DOM nodes).
  return { ...page_, heap: heap.usedSize, blink: heap.embedderHeapUsedSize };
}

/** Clicks « Exporter en PDF » and waits for the download, or fails with
 * the page's error message. Resolves to { ms, status }. */
async function exportOnce(page) {
  const timeout = 120_000;
  const downloaded = page.waitForEvent("download", { timeout });
  downloaded.catch(() => {});
  const t0 = Date.now();
  await page.locator("#export-pdf").click();
  const failed = page
    .waitForFunction(() => document.querySelector("#export-pdf").dataset.pdfState === "error", null, { timeout })
    .then(() => null);
  failed.catch(() => {});
  if (!(await Promise.race([downloaded, failed]))) assert.fail(`the PDF export failed: ${await page.locator("#pdf-error").textContent()}`);
  const ms = Date.now() - t0;
  await page.waitForFunction(() => document.querySelector("#export-pdf").dataset.pdfState === "done", null, { timeout });
  return { ms, status: await page.locator("#pdf-status").textContent() };
}

/** The PDF module's wasm memory, in its worker (null before the first export). */
async function pdfWasm(page) {
  const worker = page.workers().find((w) => /pdf-worker\.js/.test(w.url()));
  if (!worker) return null;
  return worker.evaluate(async () => {
    const mod = await import(new URL("pdf/territoire_pdf.js", self.location.href).href);
    return (await mod.default()).memory.buffer.byteLength;
  });
}

test(`${SWITCHES} territory switches and ${EXPORTS} PDF exports in one page leak neither DOM nor memory`, { timeout: 600_000 }, async () => {
  const all = await epciKeys();
  assert.ok(all.length >= SWITCHES / 2, `${all.length} EPCI found`);
  const keys = Array.from({ length: SWITCHES }, (_, i) => all[i % all.length]);

  const { page, problems } = await openViewer(env.browser, `${env.server.url}?territoire=${HOME}`);
  await mapReady(page);
  const cdp = await page.context().newCDPSession(page);

  // Warm-up: a first round of switches, then back home.
  const warm = await switchAll(page, [...all.slice(-WARM_UP), HOME]);
  const s0 = await sample(page, cdp);
  const r1 = await switchAll(page, [...keys.slice(0, SWITCHES / 2), HOME]);
  const s1 = await sample(page, cdp);
  const r2 = await switchAll(page, [...keys.slice(SWITCHES / 2), HOME]);
  const s2 = await sample(page, cdp);

  console.log(`# ${all.length} EPCI; warm-up ${WARM_UP} switches in ${(warm.wall / 1000).toFixed(1)} s`);
  for (const [what, r] of [["switches 1-500", r1], ["switches 501-1000", r2]]) {
    console.log(
      `# ${what}: ${(r.wall / 1000).toFixed(1)} s (${(r.wall / (SWITCHES / 2 + 1)).toFixed(1)} ms a switch); medians: snapshot ${r.snapshot.toFixed(1)} ms, render ${r.render.toFixed(1)} ms, map ${r.map.toFixed(1)} ms`,
    );
  }
  for (const [what, s] of [["after warm-up", s0], ["after 500", s1], ["after 1000", s2]]) {
    console.log(`# ${what}: ${s.dom} elements, core wasm ${mib(s.wasm)}, JS heap ${mib(s.heap)}, DOM heap ${mib(s.blink)}, output of one switch ${(s.output / 1024).toFixed(0)} KiB`);
  }

  // The same territory on screen: the same DOM.
  assert.equal(s1.dom, s0.dom, "DOM elements after 500 switches");
  assert.equal(s2.dom, s0.dom, "DOM elements after 1000 switches");
  // A leak of one switch's output in one switch out of 100 would add
  // SWITCHES / 100 outputs; the wasm memory and the heaps stay below that
  // (measured: no growth of the wasm memory, ±0.5 MiB of the heaps).
  const bound = (SWITCHES / 100) * s0.output;
  console.log(`# bound on growth after the warm-up: ${mib(bound)} (${SWITCHES / 100} × one switch's output)`);
  assert.ok(s2.wasm - s0.wasm < bound, `core wasm memory grew by ${mib(s2.wasm - s0.wasm)}`);
  assert.ok(s2.heap - s0.heap < bound, `JS heap grew by ${mib(s2.heap - s0.heap)}`);
  assert.ok(s2.heap - s1.heap < bound / 2, `JS heap grew by ${mib(s2.heap - s1.heap)} from 500 to 1000 switches`);
  assert.ok(s2.blink - s0.blink < bound, `DOM heap grew by ${mib(s2.blink - s0.blink)}`);
  assert.ok(s2.blink - s1.blink < bound / 2, `DOM heap grew by ${mib(s2.blink - s1.blink)} from 500 to 1000 switches`);

  // PDF exports: the first loads the PDF module; 19 more.
  const first = await exportOnce(page);
  assert.match(first.status, /PDF prêt/);
  const p0 = await sample(page, cdp);
  const pdf0 = await pdfWasm(page);
  const bytes = Number(await page.locator("#export-pdf").getAttribute("data-pdf-bytes"));
  const times = [first.ms];
  for (let i = 1; i < EXPORTS; i++) {
    const r = await exportOnce(page);
    assert.match(r.status, /PDF prêt/, `export ${i + 1}`);
    times.push(r.ms);
  }
  const p1 = await sample(page, cdp);
  const pdf1 = await pdfWasm(page);
  const sorted = times.slice(1).sort((a, b) => a - b);
  console.log(`# ${EXPORTS} PDF exports of ${(bytes / 1024).toFixed(0)} KiB: first ${first.ms} ms, median of the others ${sorted[Math.floor(sorted.length / 2)]} ms`);
  for (const [what, s, pdf] of [["after 1 export", p0, pdf0], [`after ${EXPORTS} exports`, p1, pdf1]]) {
    console.log(`# ${what}: ${s.dom} elements, core wasm ${mib(s.wasm)}, JS heap ${mib(s.heap)}, DOM heap ${mib(s.blink)}, PDF module wasm ${pdf === null ? "n/a" : mib(pdf)}`);
  }
  assert.equal(p1.dom, p0.dom, "DOM elements after the exports");
  // A leak of each export's PDF (or its document) would add EXPORTS - 1 of them.
  const pdfBound = ((EXPORTS - 1) / 2) * bytes;
  assert.ok(p1.wasm - p0.wasm < pdfBound, `core wasm memory grew by ${mib(p1.wasm - p0.wasm)} over the exports`);
  assert.ok(p1.heap - p0.heap < pdfBound, `JS heap grew by ${mib(p1.heap - p0.heap)} over the exports`);
  assert.ok(p1.blink - p0.blink < pdfBound, `DOM heap grew by ${mib(p1.blink - p0.blink)} over the exports`);
  if (pdf0 !== null && pdf1 !== null) assert.ok(pdf1 - pdf0 < pdfBound, `PDF module memory grew by ${mib(pdf1 - pdf0)}`);
  assert.deepEqual(problems, []);
  await page.close();
});

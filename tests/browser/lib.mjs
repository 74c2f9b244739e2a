// Shared by the browser tests and `make bench`: serve www/ and drive
// Debian's headless Chromium through playwright-core.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

import { startServer } from "../../scripts/serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const WWW = join(ROOT, "www");

export { startServer };

const CANDIDATES = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath() {
  const found = CANDIDATES.find((p) => p && existsSync(p));
  if (!found) throw new Error("Chromium not found: install Debian's chromium (scripts/setup.sh) or set CHROMIUM");
  return found;
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

/** Fails early, with the command to run, when the page is not built. */
export function requireBuiltPage() {
  for (const f of ["index.html", "app.js", "style.css", "pkg/territoire.js", "pkg/territoire_bg.wasm", "pack.bin", "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf"]) {
    if (!existsSync(join(WWW, f))) {
      throw new Error(`www/${f} is missing: run \`make wasm pack www/pack.bin\` (or \`make test\`) first`);
    }
  }
}

/**
 * Median time of `new Viewer(bytes)` (copy into wasm memory + validation)
 * over `runs` runs, in the page at `page` (already on the viewer page). The
 * pack is fetched once, outside the timing.
 */
export async function measureLoad(page, runs = 7) {
  return page.evaluate(async (runs) => {
    const core = await import("./pkg/territoire.js");
    await core.default();
    const bytes = new Uint8Array(await (await fetch("pack.bin")).arrayBuffer());
    const times = [];
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const v = new core.Viewer(bytes);
      const t1 = performance.now();
      v.free();
      if (i > 0) times.push(t1 - t0); // the first run warms up the engine
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], runs, bytes: bytes.length };
  }, runs);
}

/**
 * Waits until `predicate`, run in the page, returns a truthy value; unlike
 * `page.waitForFunction`, it may be async. Playwright does not await what a
 * waitForFunction predicate returns, so an async one is a truthy Promise and
 * passes at the first poll, waiting for nothing.
 */
export async function waitForAsync(page, predicate, { what, timeout = 30_000, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await page.evaluate(predicate)) return;
    if (Date.now() > deadline) throw new Error(`waited ${timeout} ms for ${what ?? "a condition"} in the page`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * The page's localStorage values under the keys of `expected`, once each
 * holds its expected value, or as they are after `timeout` ms, for the
 * caller to assert: the page saves a comment after a debounce, which a busy
 * machine can delay past any fixed sleep.
 */
export async function storedWhen(page, expected, timeout = 10_000) {
  await page
    .waitForFunction((e) => Object.entries(e).every(([k, v]) => localStorage.getItem(k) === v), expected, { timeout })
    .catch(() => {});
  return page.evaluate((keys) => Object.fromEntries(keys.map((k) => [k, localStorage.getItem(k)])), Object.keys(expected));
}

/** Opens the viewer in a fresh page and waits until it is ready or failed. */
export async function openViewer(browser, url) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console: ${msg.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout: 30_000 });
  return { page, problems };
}

/**
 * Clicks « Exporter en PDF » on `page` (a snapshot on screen) and waits for
 * the download. Resolves to { download, ms (click → download event), name,
 * status (the page's announcement) }.
 */
export async function exportPdf(page, { timeout = 120_000 } = {}) {
  const button = page.locator("#export-pdf");
  await button.waitFor({ state: "visible" });
  const downloaded = page.waitForEvent("download", { timeout });
  const t0 = Date.now();
  await button.click();
  const download = await downloaded;
  const ms = Date.now() - t0;
  await page.waitForFunction(() => document.querySelector("#export-pdf").dataset.pdfState !== "busy", null, { timeout });
  const status = await page.locator("#pdf-status").textContent();
  return { download, ms, name: download.suggestedFilename(), status };
}

/**
 * PDF export times on `page` (a snapshot on screen, no export yet): the
 * first (with the PDF module's download and compilation), then the median
 * of `runs` more; and the PDF's size in bytes.
 */
export async function measurePdfExport(page, runs = 3) {
  const first = await exportPdf(page);
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await exportPdf(page)).ms);
  times.sort((a, b) => a - b);
  const bytes = Number(await page.locator("#export-pdf").getAttribute("data-pdf-bytes"));
  const pages = Number(await page.locator("#export-pdf").getAttribute("data-pdf-pages"));
  return { first: first.ms, median: times[Math.floor(times.length / 2)], times, bytes, pages };
}

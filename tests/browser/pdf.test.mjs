// Browser tests of « Exporter en PDF » with the real pack and the real PDF
// module (www/pdf/), in Debian's headless Chromium: the PDF is made in the
// page (core document on the main thread, PDF writer in a module worker),
// downloaded, then read back with poppler (pdfinfo, pdftotext, pdffonts).
// Also: the PDF module is not fetched before the first export, the page
// stays responsive while the worker writes, a failed export says why in
// French and loses no comment. Prints the export time and the PDF size.
//
//   node --test tests/browser/        (make test runs them)

import { before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { exportPdf, openViewer, startServer, storedWhen, WWW } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 300_000 };
const NANTES_CODE = "244400404";
const GENERAL = `<script>alert(1)</script> ]]> "guillemets" & Ελληνικά`;
const PANEL_COMMENT = "Taux de pauvreté à suivre : écart de 2 points avec le département, « à vérifier » en 2025.";
const PDF_FILES = ["pdf-worker.js", "pdf-export.js", "pdf/territoire_pdf.js", "pdf/territoire_pdf_bg.wasm"];

const env = useBrowser({ tmp: "instantane-pdf-" });

before(() => {
  for (const f of PDF_FILES) {
    if (!existsSync(join(WWW, f))) throw new Error(`www/${f} is missing: run \`make wasm\` (it builds the PDF module into www/pdf/)`);
  }
  for (const tool of ["pdfinfo", "pdftotext", "pdffonts"]) {
    try {
      execFileSync(tool, ["-v"], { stdio: "ignore" });
    } catch (err) {
      if (err.code === "ENOENT") throw new Error(`${tool} is missing: install Debian's poppler-utils (scripts/setup.sh does)`);
    }
  }
});

/** Local date, YYYY-MM-DD, as the page writes it. */
function today() {
  const d = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Spaces of any kind (NBSP, narrow NBSP, line breaks) as one space. */
function norm(text) {
  return text.replace(/[\s\u00a0\u202f\u2009]+/g, " ").trim();
}

function run(tool, args) {
  // stderr kept out of the test output (poppler 22 warns « Suspects object
  // is wrong type (boolean) » on a valid /MarkInfo << /Suspects false >>).
  return execFileSync(tool, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
}

/** Every URL the page or its workers request, by Chromium's account. The
 * service worker's own requests (its background precache for offline use,
 * and the network fetches it makes on the page's behalf) are not the
 * page's: they are left out. */
function watchRequests(page) {
  const urls = [];
  const record = (req) => {
    if (req.serviceWorker()) return;
    urls.push(new URL(req.url()).pathname);
  };
  page.context().on("request", record);
  page.on("worker", (w) => urls.push(`worker:${new URL(w.url()).pathname}`));
  return urls;
}

const isPdfModule = (path) => /\/pdf\/|pdf-worker\.js/.test(path);

async function chooseNantes(page) {
  const input = page.locator("#q");
  await input.fill("nantes");
  await page
    .locator("#results [role=option]")
    .filter({ has: page.locator(".option-name", { hasText: /^Nantes Métropole$/ }) })
    .first()
    .click();
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  await page.locator("#panels section.panel").first().waitFor();
}

test("« Exporter en PDF » writes an A4 tagged PDF of the snapshot, its comments and maps, in the browser", T, async () => {
  const { page, problems } = await openViewer(env.browser, env.server.url);
  const urls = watchRequests(page);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  assert.equal(await page.evaluate(() => document.body.dataset.state), "ready");
  await chooseNantes(page);
  await page.locator("#cartes[data-map-state=ready]").waitFor();

  // Comments: the general one and one infographic's.
  const panelIds = await page.locator("#panels section.panel").evaluateAll((s) => s.map((x) => x.dataset.panel));
  const panelId = panelIds.includes("pauvrete") ? "pauvrete" : panelIds[0];
  await page.locator("#comment-general").fill(GENERAL);
  await page.locator(`#panels section.panel[data-panel="${panelId}"] textarea`).fill(PANEL_COMMENT);

  assert.deepEqual(urls.filter(isPdfModule), [], "the PDF module must not load before the first export");
  const button = page.getByRole("button", { name: "Exporter en PDF" });
  assert.equal(await button.isEnabled(), true);

  // Watch the main thread while exporting: a 20 ms heartbeat and the
  // status announcements, with their times.
  await page.evaluate(() => {
    const w = window;
    w.__beats = [];
    w.__statuses = [];
    w.__beat = setInterval(() => w.__beats.push(performance.now()), 20);
    const status = document.querySelector("#pdf-status");
    new MutationObserver(() => w.__statuses.push([status.textContent, performance.now()])).observe(status, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    const button = document.querySelector("#export-pdf");
    w.__disabled = [];
    new MutationObserver(() => w.__disabled.push(button.disabled)).observe(button, { attributes: true, attributeFilter: ["disabled"] });
  });

  const downloaded = page.waitForEvent("download", { timeout: 240_000 });
  const t0 = Date.now();
  await button.click();
  // The search box takes input while the worker writes the PDF.
  const typedAt = await page.evaluate(() => performance.now());
  await page.locator("#q").fill("angers");
  await page.locator("#results [role=option]").first().waitFor();
  const typedState = await page.locator("#export-pdf").getAttribute("data-pdf-state");
  const answeredAt = await page.evaluate(() => performance.now());
  await page.locator("#q").press("Escape");
  const download = await downloaded;
  const firstMs = Date.now() - t0;
  await page.waitForFunction(() => document.querySelector("#export-pdf").dataset.pdfState === "done");

  const watch = await page.evaluate(() => {
    clearInterval(window.__beat);
    return { beats: window.__beats, statuses: window.__statuses, disabled: window.__disabled };
  });
  assert.deepEqual(watch.disabled, [true, false], "the button is disabled while exporting, then enabled again");
  const said = watch.statuses.map(([s]) => s).filter((s, i, all) => s && s !== all[i - 1]);
  assert.deepEqual(said.slice(0, 3), ["Préparation du document…", "Chargement du module PDF…", "Mise en page du PDF…"], said.join(" | "));
  assert.match(said.at(-1), /^PDF prêt \(\d+ pages, [\d\s\u202f\u00a0,]+ [KM]o\)$/, said.join(" | "));
  // The heartbeat kept ticking while the worker wrote the PDF.
  const renderStart = watch.statuses.find(([s]) => s === "Mise en page du PDF…")[1];
  const renderEnd = watch.statuses.find(([s]) => s.startsWith("PDF prêt"))[1];
  const beats = watch.beats.filter((t) => t >= renderStart && t <= renderEnd);
  let gap = 0;
  for (let i = 1; i < beats.length; i++) gap = Math.max(gap, beats[i] - beats[i - 1]);
  if (beats.length) gap = Math.max(gap, beats[0] - renderStart, renderEnd - beats.at(-1));
  else gap = renderEnd - renderStart;
  console.log(
    `# PDF writing in the worker: ${(renderEnd - renderStart).toFixed(0)} ms, longest main-thread pause meanwhile ${gap.toFixed(0)} ms; ` +
      `search answered in ${(answeredAt - typedAt).toFixed(0)} ms (export state then: ${typedState})`,
  );
  assert.ok(gap < 400, `the main thread stalled ${gap.toFixed(0)} ms while the worker wrote the PDF`);

  // The file.
  const name = download.suggestedFilename();
  assert.match(name, /^instantane-244400404-\d{4}-\d{2}-\d{2}\.pdf$/);
  assert.equal(name, `instantane-${NANTES_CODE}-${today()}.pdf`);
  const file = join(env.dir, name);
  await download.saveAs(file);
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 5).toString("latin1"), "%PDF-");

  const info = run("pdfinfo", ["-enc", "UTF-8", file]);
  const field = (k) => info.match(new RegExp(`^${k}:\\s*(.*)$`, "m"))?.[1] ?? "";
  assert.ok(Number(field("Pages")) >= 12, `pages: ${field("Pages")}\n${info}`);
  assert.match(field("Title"), /Nantes Métropole/, info);
  assert.equal(field("Tagged"), "yes", info);
  const size = field("Page size");
  assert.match(size, /^595\.(2|28) x 841\.(8|89) pts/, `A4: ${size}`);

  const text = norm(run("pdftotext", ["-enc", "UTF-8", file, "-"]));
  for (const want of ["Nantes Métropole", "Loire-Atlantique", "12,8 %", "Source", norm(GENERAL), norm(PANEL_COMMENT)]) {
    assert.ok(text.includes(want), `« ${want} » not in the PDF's text`);
  }

  const fonts = run("pdffonts", [file])
    .split("\n")
    .slice(2)
    .filter(Boolean)
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name type… encoding emb sub uni object ID
      return { name: cols[0], emb: cols.at(-5), sub: cols.at(-4) };
    });
  const dejavu = fonts.filter((f) => /DejaVuSans/.test(f.name));
  assert.ok(dejavu.some((f) => /\+DejaVuSans$/.test(f.name)), fonts.map((f) => f.name).join(", "));
  assert.ok(dejavu.some((f) => /\+DejaVuSans-Bold$/.test(f.name)), fonts.map((f) => f.name).join(", "));
  for (const f of fonts) {
    assert.match(f.name, /^[A-Z]{6}\+DejaVuSans(-Bold)?$/, `only DejaVu Sans, subset: ${f.name}`);
    assert.equal(f.emb, "yes", `${f.name} embedded`);
    assert.equal(f.sub, "yes", `${f.name} subset`);
  }

  // The PDF module came with the first export, from the worker.
  const pdfUrls = urls.filter(isPdfModule);
  for (const want of ["/pdf-worker.js", "/pdf/territoire_pdf.js", "/pdf/territoire_pdf_bg.wasm"]) {
    assert.ok(pdfUrls.some((u) => u.endsWith(want)), `${want} not requested: ${pdfUrls.join(", ")}`);
  }

  // Comments untouched; nothing from them ran as script.
  assert.equal(await page.locator("#comment-general").inputValue(), GENERAL);
  assert.equal(await page.locator(`#panels section.panel[data-panel="${panelId}"] textarea`).inputValue(), PANEL_COMMENT);
  assert.deepEqual(dialogs, []);
  assert.equal(await page.locator("#export-pdf").isEnabled(), true);
  assert.equal(await page.locator("#pdf-error").isHidden(), true);

  // Times (printed, not asserted): click → download.
  const times = [];
  for (let i = 0; i < 3; i++) times.push((await exportPdf(page, { timeout: 240_000 })).ms);
  const moduleRequests = urls.filter((u) => u.endsWith("/pdf/territoire_pdf_bg.wasm")).length;
  assert.equal(moduleRequests, 1, "the PDF module is loaded once");
  times.sort((a, b) => a - b);
  const later = (await page.evaluate(() => window.__statuses.map(([s]) => s))).filter((s, i, all) => s && s !== all[i - 1]);
  assert.equal(later.filter((s) => s === "Chargement du module PDF…").length, 1, `module loading announced once: ${later.join(" | ")}`);
  assert.equal(later.filter((s) => s.startsWith("PDF prêt")).length, 4, later.join(" | "));
  const pdfPages = field("Pages");
  console.log(
    `# PDF export (click → download), Nantes Métropole, ${pdfPages} pages, ${bytes.length} B (${(bytes.length / 1024).toFixed(0)} KiB): ` +
      `first ${firstMs} ms (with the PDF module's load), then median of 3 ${times[1]} ms (${times.join(", ")} ms)`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("the CSP stays strict and lets the PDF worker in", T, async () => {
  const { page, problems } = await openViewer(env.browser, env.server.url);
  const csp = await page.evaluate(() => document.querySelector("meta[http-equiv=Content-Security-Policy]").content);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.match(csp, /worker-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|blob:[^;]*;?\s*(script|worker)|\*/);
  assert.doesNotMatch(csp, /(script|worker)-src[^;]*blob:/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a failed export says why in French, keeps the comments and can be tried again", T, async () => {
  // The PDF module's wasm is missing: its loading fails in the worker.
  const broken = await startServer({ root: WWW, port: 0, overrides: { "/pdf/territoire_pdf_bg.wasm": null } });
  try {
    const { page } = await openViewer(env.browser, `${broken.url}?territoire=epci:${NANTES_CODE}`);
    await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
    await page.locator("#comment-general").fill(GENERAL);
    let downloads = 0;
    page.on("download", () => downloads++);
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.locator("#export-pdf").click();
      await page.waitForFunction(() => document.querySelector("#export-pdf").dataset.pdfState === "error", null, { timeout: 60_000 });
      const error = page.locator("#pdf-error");
      assert.equal(await error.isVisible(), true);
      const text = await error.textContent();
      assert.match(text, /^Export PDF impossible : le module PDF n'a pas pu être chargé/, text);
      assert.match(text, /Vos commentaires sont conservés/, text);
      assert.equal(await error.getAttribute("role"), "alert");
      assert.equal(await page.locator("#export-pdf").isEnabled(), true);
    }
    assert.equal(downloads, 0);
    assert.equal(await page.locator("#comment-general").inputValue(), GENERAL);
    const key = `instantane:v1:epci:${NANTES_CODE}:general`;
    assert.equal((await storedWhen(page, { [key]: GENERAL }))[key], GENERAL);
    await page.close();
  } finally {
    await broken.close();
  }
});

test("without a study territory there is no export button to press", T, async () => {
  const { page, problems } = await openViewer(env.browser, env.server.url);
  assert.equal(await page.locator("#export-pdf").isVisible(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

// The workshop bundle (scripts/build-workshop.mjs, `make atelier`): built
// into a temporary folder, opened from file:// in a context with the
// network cut: the snapshot, a comment kept across a reload, the maps and
// a PDF export all work with no server.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { launchBrowser, requireBuiltPage, ROOT } from "./lib.mjs";

const T = { timeout: 240_000 };
let browser;
let dir;
let bundle;

before(async () => {
  requireBuiltPage();
  dir = mkdtempSync(join(tmpdir(), "instantane-atelier-"));
  bundle = join(dir, "atelier");
  execFileSync("node", [join(ROOT, "scripts", "build-workshop.mjs"), "--out", bundle], { stdio: "pipe" });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("the bundle is one folder of plain files: no module script, no server-only file", () => {
  assert.deepEqual(readdirSync(bundle).sort(), ["LISEZMOI.txt", "app.js", "atelier.js", "donnees.js", "index.html", "style.css"]);
  const html = readFileSync(join(bundle, "index.html"), "utf8");
  assert.doesNotMatch(html, /type="module"/);
  assert.match(html, /<script defer src="donnees.js"><\/script>\s*<script defer src="atelier.js"><\/script>\s*<script defer src="app.js"><\/script>/);
  assert.doesNotMatch(readFileSync(join(bundle, "app.js"), "utf8"), /\bimport\s*\(|^import /m);
  // The pack inside is the served one, byte for byte.
  const data = readFileSync(join(bundle, "donnees.js"), "utf8");
  const packB64 = /"pack\.bin": "([^"]+)"/.exec(data)[1];
  assert.ok(Buffer.from(packB64, "base64").equals(readFileSync(join(ROOT, "www", "pack.bin"))));
});

test("from file:// with the network cut: snapshot, comment kept across a reload, maps and PDF export", T, async () => {
  const context = await browser.newContext({ offline: true, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  const url = `${pathToFileURL(join(bundle, "index.html")).href}?territoire=244400404`;
  await page.goto(url);
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), "ready");
  assert.equal(await page.locator("#fiche-title").textContent(), "Nantes Métropole");
  assert.equal(await page.locator(".panel svg.infographic").count(), 9);
  // The infographics' font is the bundled DejaVu Sans.
  assert.ok(await page.evaluate(() => document.fonts.check('12px "DejaVu Sans"') && [...document.fonts].some((f) => f.family.includes("DejaVu") && f.status === "loaded")));
  await page.waitForFunction(() => document.getElementById("cartes")?.dataset.mapState === "ready", null, { timeout: 30_000 });
  assert.ok((await page.locator("#cartes svg path").count()) > 60);

  const comment = "Atelier du 21 novembre : « à revoir avec le CCAS ».";
  await page.locator("[data-comment='pauvrete'] textarea").fill(comment);
  await page.locator("#q").focus(); // leaves the textarea: saved
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 60_000 });
  assert.equal(await page.locator("[data-comment='pauvrete'] textarea").inputValue(), comment);

  const downloaded = page.waitForEvent("download", { timeout: 180_000 });
  await page.locator("#export-pdf").click();
  const download = await downloaded;
  assert.match(download.suggestedFilename(), /^instantane-244400404-\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  assert.match(text, /Nantes Métropole/);
  assert.ok(text.includes("à revoir avec le CCAS"), "the comment is in the PDF");
  assert.deepEqual(problems, []);
  await context.close();
});

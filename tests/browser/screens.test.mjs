// What a person sees, against reference screenshots: the page on a fixed
// territory with fixed comparisons, at a fixed viewport (1280×900, device
// scale factor 1), fonts loaded; a few stable regions (the header and the
// search, the first infographic, the map) compared with
// tests/browser/reference/<name>.png by a tolerant pixel diff (pixelmatch).
// Nothing dynamic is in the shots (no date, no timing, no focus, no hover).
//
//   node --test tests/browser/screens.test.mjs
//   UPDATE_REFERENCES=1 node --test tests/browser/screens.test.mjs   (rewrite them; review the PNGs)
//
// A missing reference is written (and the test passes, saying so), except
// under CI=true, where it fails. On a failure, build/screens/ holds the
// actual shot and a diff image (differing pixels in red).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pixelmatch from "pixelmatch";
import { PNG } from "pngjs";

import { launchBrowser, requireBuiltPage, ROOT, startServer, WWW } from "./lib.mjs";

const T = { timeout: 120_000 };
const VIEW = "?territoire=244400404&comparer=44,52,FRM";
const VIEWPORT = { width: 1280, height: 900 };
const REFERENCE_DIR = join(ROOT, "tests", "browser", "reference");
const OUT_DIR = join(ROOT, "build", "screens");
// pixelmatch's per-pixel colour threshold (0–1; anti-aliased pixels are
// ignored), then the share of differing pixels a shot may have.
const PIXEL_THRESHOLD = 0.1;
const MAX_DIFF_RATIO = 0.0002;

const UPDATE = process.env.UPDATE_REFERENCES === "1";
const CI = process.env.CI === "true";

let browser;
let server;
let context;
let page;

before(async () => {
  requireBuiltPage();
  server = await startServer({ root: WWW, port: 0 });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, reducedMotion: "reduce", serviceWorkers: "block" });
  page = await context.newPage();
  await page.goto(server.url + VIEW);
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), "ready", await page.locator("#error").textContent());
  await page.waitForFunction(() => ["ready", "error"].includes(document.getElementById("cartes").dataset.mapState), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.getElementById("cartes").dataset.mapState), "ready");
  // Fonts loaded, nothing focused or hovered, two frames painted.
  await page.evaluate(async () => {
    await document.fonts.ready;
    document.activeElement?.blur();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  });
  await page.mouse.move(0, 0);
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** The smallest box around the elements `selectors` match, page coordinates. */
async function boxOf(selectors) {
  return page.evaluate((selectors) => {
    const rects = selectors.map((s) => document.querySelector(s).getBoundingClientRect());
    const x = Math.floor(Math.min(...rects.map((r) => r.left)) + scrollX);
    const y = Math.floor(Math.min(...rects.map((r) => r.top)) + scrollY);
    const right = Math.ceil(Math.max(...rects.map((r) => r.right)) + scrollX);
    const bottom = Math.ceil(Math.max(...rects.map((r) => r.bottom)) + scrollY);
    return { x, y, width: right - x, height: bottom - y };
  }, selectors);
}

async function shoot(selectors) {
  const clip = await boxOf(selectors);
  return page.screenshot({ clip, fullPage: true, animations: "disabled", caret: "hide" });
}

/** Compares `png` (bytes) with the reference `name`.png. */
function compare(name, png) {
  const refPath = join(REFERENCE_DIR, `${name}.png`);
  if (UPDATE || !existsSync(refPath)) {
    if (!UPDATE && CI) {
      assert.fail(`reference ${refPath} is missing (CI=true: references are never created in CI); run the test locally with UPDATE_REFERENCES=1, look at the PNG and commit it`);
    }
    mkdirSync(REFERENCE_DIR, { recursive: true });
    writeFileSync(refPath, png);
    console.log(`# reference ${name}.png ${UPDATE ? "rewritten" : "was missing: written, review and commit it"}`);
    return;
  }
  const actual = PNG.sync.read(png);
  const expected = PNG.sync.read(readFileSync(refPath));
  const save = (diff) => {
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, `${name}.actual.png`), png);
    if (diff) writeFileSync(join(OUT_DIR, `${name}.diff.png`), PNG.sync.write(diff));
    return `actual${diff ? " and diff" : ""} in ${OUT_DIR}`;
  };
  if (actual.width !== expected.width || actual.height !== expected.height) {
    assert.fail(
      `${name}: ${actual.width}×${actual.height} px, the reference is ${expected.width}×${expected.height} (${save(null)}; UPDATE_REFERENCES=1 rewrites the references)`,
    );
  }
  const { width, height } = actual;
  const diff = new PNG({ width, height });
  const differing = pixelmatch(actual.data, expected.data, diff.data, width, height, { threshold: PIXEL_THRESHOLD });
  const ratio = differing / (width * height);
  console.log(`# ${name}: ${width}×${height} px, ${differing} differing pixels (${(ratio * 100).toFixed(3)} %, at most ${(MAX_DIFF_RATIO * 100).toFixed(2)} %)`);
  if (ratio > MAX_DIFF_RATIO) {
    assert.fail(`${name}: ${differing} pixels differ from the reference (${(ratio * 100).toFixed(2)} % > ${(MAX_DIFF_RATIO * 100).toFixed(2)} %); ${save(diff)}`);
  }
}

test("the header and the search look as in the reference", T, async () => {
  assert.equal(await page.locator("#q").inputValue(), "Nantes Métropole");
  compare("header-search", await shoot([".site-header", ".search"]));
});

test("the snapshot's head and comparisons look as in the reference", T, async () => {
  assert.equal(await page.locator("#chips li").count(), 3);
  compare("fiche-head", await shoot([".fiche-head", "#fiche .compare"]));
});

test("the first infographic looks as in the reference", T, async () => {
  const id = await page.locator("#panels section.panel").first().getAttribute("data-panel");
  assert.equal(id, "population");
  compare("infographic-population", await shoot(["#panels section.panel:first-child .panel-figure"]));
});

test("the map looks as in the reference", T, async () => {
  assert.ok((await page.locator("#map-canvas .map-area").count()) > 1);
  compare("map-pdl", await shoot(["#cartes .map-figure"]));
});

test("the partner page's widgets look as in the reference, each with its theme", T, async () => {
  const partner = await context.newPage();
  try {
    await partner.goto(`${server.url}partenaire.html`);
    await partner.waitForFunction(
      () =>
        [...document.querySelectorAll("territory-snapshot")].every(
          (el) => el.shadowRoot?.querySelector(".widget")?.dataset.state === "ready",
        ),
      null,
      { timeout: 30_000 },
    );
    await partner.evaluate(async () => {
      await document.fonts.ready;
      document.activeElement?.blur();
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    });
    await partner.mouse.move(0, 0);
    // The head (title, comparisons, search) of the first, themed widget, and
    // the three infographics of the second (the credit line, which carries
    // the pack's build date, is left out).
    const opts = { animations: "disabled", caret: "hide" };
    compare("widget-first-head", await partner.locator("#first").locator(".head").screenshot(opts));
    compare("widget-second-panels", await partner.locator("#second").locator(".panels").screenshot(opts));
  } finally {
    await partner.close();
  }
});

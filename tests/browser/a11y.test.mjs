// Accessibility of the viewer page with the real pack, in Debian's headless
// Chromium: axe-core (npm devDependency, injected into the page) finds no
// WCAG 2.0/2.1 A and AA violation nor best-practice issue in every state
// that shows other UI (snapshot and map, comparison chips and listboxes,
// open data tables, typology and density maps, the error states, the PDF
// export done, a 320 px wide window, where the page reflows); every control
// is reached with Tab and shows a visible focus indicator; the infographics
// and the map have accessible names; the text drawn in the SVGs (which
// axe-core does not look into) has AA contrast.
//
//   node --test tests/browser/a11y.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { exportPdf, openViewer, ROOT } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 180_000 };
const NANTES = "244400404";
const PANEL_COUNT = 9;
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

const env = useBrowser();
const axeSource = readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8");

/** Opens the page at `path`, waits for the snapshot (or the error) and the map. */
async function ready(path, { map = true } = {}) {
  const { page, problems } = await openViewer(env.browser, env.server.url + path);
  if (map) {
    await page.waitForFunction(() => ["ready", "error"].includes(document.getElementById("cartes")?.dataset.mapState));
    const state = await page.evaluate(() => document.getElementById("cartes").dataset.mapState);
    if (state !== "ready") assert.fail(`the map did not draw: ${await page.locator("#map-error").textContent()}`);
  }
  return { page, problems };
}

/** Runs axe-core on the whole document; the violations, readable. */
async function axeViolations(page) {
  // Runtime.evaluate is not subject to the page's CSP (no eval needed).
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource);
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary?.replace(/\s*\n\s*/g, " ") ?? "" })),
    }));
  }, AXE_TAGS);
}

async function assertAxeClean(page, what) {
  const violations = await axeViolations(page);
  const text = violations
    .map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n.target}\n        ${n.summary}`).join("\n")}`)
    .join("\n");
  assert.equal(violations.length, 0, `axe-core, ${what}: ${violations.length} violation(s)\n${text}`);
  console.log(`# axe-core ${what}: no violation`);
}

test("axe-core finds no violation on a snapshot with its map", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  assert.equal(await page.locator("#panels section.panel").count(), PANEL_COUNT);
  await assertAxeClean(page, "snapshot and default choropleth");
  assert.deepEqual(problems, []);
  await page.close();
});

test("axe-core finds no violation with chips, open listboxes and every data table open", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}&comparer=49,52,FRM,244900015`);
  assert.equal(await page.locator("#chips li").count(), 4);
  for (const summary of await page.locator("#panels details.panel-data > summary").all()) await summary.click();
  assert.equal(await page.locator("#panels details.panel-data[open]").count(), PANEL_COUNT);
  await page.locator("#map-data > summary").click();
  await page.locator("#map-data table.map-table").waitFor();
  await assertAxeClean(page, "comparison chips and open tables");

  await page.locator("#q").fill("sable");
  await page.locator("#results [role=option]").first().waitFor();
  await page.keyboard.press("ArrowDown");
  await assertAxeClean(page, "search listbox open");
  await page.keyboard.press("Escape");

  await page.locator("#cq").fill("angers");
  await page.locator("#compare-results [role=option]").first().waitFor();
  await page.keyboard.press("ArrowDown");
  await assertAxeClean(page, "comparison listbox open");
  await page.keyboard.press("Escape");

  // No comparison at all: the « Aucun territoire » note instead of chips.
  const { page: none } = await ready(`?territoire=${NANTES}&comparer=`);
  assert.equal(await none.locator("#chips-empty").isVisible(), true);
  await assertAxeClean(none, "no comparison");
  await none.close();
  assert.deepEqual(problems, []);
  await page.close();
});

test("at 320 px wide, every table open, the page reflows (no sideways scroll) and axe-core finds nothing", T, async () => {
  const context = await env.browser.newContext({ viewport: { width: 320, height: 700 } });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(`${env.server.url}?territoire=${NANTES}`);
  await page.waitForFunction(() => document.getElementById("cartes")?.dataset.mapState === "ready", null, { timeout: 30_000 });
  for (const summary of await page.locator("details > summary").all()) await summary.click();
  await page.locator("#map-data table.map-table").waitFor();
  const layout = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    viewport: innerWidth,
    // Wide tables scroll inside their own box, which the keyboard can reach.
    scrollers: [...document.querySelectorAll(".table-wrap")].filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => w.tabIndex),
  }));
  assert.ok(layout.page <= layout.viewport, `the page is ${layout.page} px wide in a ${layout.viewport} px viewport`);
  assert.ok(layout.scrollers.length > 0, "no table scrolls at 320 px: the check proves nothing");
  assert.ok(layout.scrollers.every((t) => t === 0), "a scrolling table box is not focusable");
  await assertAxeClean(page, "320 px wide, tables open");
  assert.deepEqual(problems, []);
  await context.close();
});

test("axe-core finds no violation on the other maps with their legends and tables", T, async () => {
  for (const query of [
    "&carte=departement_epci&departement=49&indicateur=taux_chomage&methode=jenks&classes=6&cercles=1",
    "&type=typologie",
    "&type=densite",
    "&carte=communes_pdl",
  ]) {
    const { page, problems } = await ready(`?territoire=${NANTES}${query}`);
    await page.locator("#map-data > summary").click();
    await page.locator("#map-data table.map-table").waitFor();
    await assertAxeClean(page, `map ${query}`);
    assert.deepEqual(problems, [], query);
    await page.close();
  }
});

test("axe-core finds no violation in the error states", T, async () => {
  const { page } = await ready("?territoire=999999999", { map: false });
  assert.equal(await page.locator("#error").isVisible(), true);
  assert.match(await page.locator("#error-title").textContent(), /introuvable/);
  await assertAxeClean(page, "unknown territory");
  await page.close();

  // The pack cannot be downloaded: the page says so.
  const context = await env.browser.newContext();
  const failing = await context.newPage();
  await failing.route("**/pack.bin*", (route) => route.fulfill({ status: 404, body: "" }));
  await failing.goto(`${env.server.url}?territoire=${NANTES}`);
  await failing.waitForFunction(() => document.body.dataset.state === "error");
  assert.match(await failing.locator("#error-title").textContent(), /téléchargé/);
  await assertAxeClean(failing, "pack missing");
  await context.close();
});

test("axe-core finds no violation once a PDF export is done", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  const { status } = await exportPdf(page);
  assert.match(status, /PDF prêt/);
  await assertAxeClean(page, "PDF export done");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the infographics and the map have accessible names", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  const svgs = await page.evaluate(() =>
    [...document.querySelectorAll("#panels svg.infographic")].map((svg) => ({
      role: svg.getAttribute("role"),
      title: svg.querySelector(":scope > title")?.textContent ?? "",
      name: (svg.getAttribute("aria-labelledby") ?? "")
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent ?? "")
        .join(" ")
        .trim(),
    })),
  );
  assert.equal(svgs.length, PANEL_COUNT);
  for (const s of svgs) {
    assert.equal(s.role, "img", s.title);
    assert.ok(s.title && s.name.startsWith(s.title), `an infographic is named «${s.name}»`);
  }
  // Chromium's own accessible names (Playwright's role queries use them).
  for (const s of svgs) {
    assert.equal(await page.getByRole("img", { name: s.title }).count() >= 1, true, s.title);
  }
  const mapTitle = (await page.locator("#map-title").textContent()).trim();
  assert.ok(mapTitle, "the map has a title");
  assert.equal(await page.getByRole("figure", { name: mapTitle }).count(), 1, mapTitle);
  const map = await page.evaluate(() => {
    const svg = document.querySelector("#map-canvas svg.map");
    const labelled = (svg.getAttribute("aria-labelledby") ?? "")
      .split(/\s+/)
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" ")
      .trim();
    const areas = [...svg.querySelectorAll(".map-area")];
    return {
      role: svg.getAttribute("role"),
      name: svg.getAttribute("aria-label") || labelled,
      areas: areas.length,
      unnamed: areas.filter((a) => !a.getAttribute("aria-label")?.trim()).length,
      stops: areas.filter((a) => a.getAttribute("tabindex") === "0").length,
    };
  });
  assert.ok(map.name, "the map's drawing has a name");
  assert.ok(map.areas > 1, `${map.areas} territories on the map`);
  assert.equal(map.unnamed, 0, "every map territory is named");
  assert.equal(map.stops, 1, "one Tab stop in the map (roving tabindex)");
  // The text alternative of each chart: the data table names its infographic.
  const summaries = await page.locator("#panels details.panel-data > summary").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
  assert.equal(new Set(summaries).size, PANEL_COUNT, summaries.join(" | "));
  assert.ok(summaries.every((s) => s.startsWith("Tableau des données : ")), summaries.join(" | "));
  assert.deepEqual(problems, []);
  await page.close();
});

/**
 * The contrast of every text drawn in the page's SVGs (axe-core does not
 * look inside role="img"): its fill against the last filled rectangle drawn
 * under it before it (else the page's white). WCAG AA: 4.5:1, 3:1 for large
 * text (24 px, or 18.66 px bold). Returns the failures, readable.
 */
function svgContrastFailures(page, selector) {
  return page.evaluate((selector) => {
    const rgb = (c) => {
      const m = /^rgba?\(([^)]+)\)$/.exec(c);
      if (!m) return null;
      const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return a === 0 ? null : [r, g, b];
    };
    const lum = ([r, g, b]) => {
      const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const failures = [];
    let texts = 0;
    for (const svg of document.querySelectorAll(selector)) {
      const rects = [...svg.querySelectorAll("rect")]
        .map((r) => ({ r, box: r.getBoundingClientRect(), fill: rgb(getComputedStyle(r).fill), opacity: Number(getComputedStyle(r).fillOpacity) }))
        .filter((x) => x.fill && x.opacity >= 0.5 && x.box.width > 0);
      for (const t of svg.querySelectorAll("text")) {
        const cs = getComputedStyle(t);
        const fill = rgb(cs.fill);
        const box = t.getBoundingClientRect();
        if (!fill || !t.textContent.trim() || box.width === 0) continue;
        texts++;
        const cx = box.left + box.width / 2;
        const cy = box.top + box.height / 2;
        const under = rects.filter(
          (x) => x.box.left <= cx && cx <= x.box.right && x.box.top <= cy && cy <= x.box.bottom && (x.r.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING),
        );
        const bg = under.length ? under[under.length - 1].fill : [255, 255, 255];
        const size = parseFloat(cs.fontSize);
        const bold = Number(cs.fontWeight) >= 700;
        const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        const got = ratio(fill, bg);
        if (got < need) {
          failures.push({
            text: `«${t.textContent.slice(0, 40)}» ${cs.fill} on rgb(${bg.join(", ")}): ${got.toFixed(2)} < ${need}`,
            // The panel's number, white on the accent square of its header.
            badge: /^\d{1,2}$/.test(t.textContent.trim()) && fill.every((v) => v === 255) && t.closest("svg.infographic") !== null,
          });
        }
      }
    }
    return { texts, failures };
  }, selector);
}

test("the text drawn in the infographics and the maps has AA contrast", T, async () => {
  for (const query of ["", "&type=typologie", "&type=densite"]) {
    const { page, problems } = await ready(`?territoire=${NANTES}${query}`);
    const { texts, failures } = await svgContrastFailures(page, "svg.infographic, svg.map");
    assert.ok(texts > 100, `${texts} texts checked`);
    const others = failures.filter((f) => !f.badge).map((f) => f.text);
    assert.deepEqual(others, [], `contrast below WCAG AA (${query || "default map"}):\n${others.join("\n")}`);
    console.log(`# ${query || "snapshot and default map"}: ${texts} SVG texts, all with AA contrast but ${failures.length} panel numbers`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

// The panel number is drawn 17 px bold in white on its square
// (src/infographic.rs, header()): the square is the dark accent #a84500
// (5.97:1); the bar orange #d95f02 gave 3.76:1, under AA.
test("the panel numbers have AA contrast", T, async () => {
  const { page } = await ready(`?territoire=${NANTES}`, { map: false });
  const { failures } = await svgContrastFailures(page, "svg.infographic");
  const badges = failures.filter((f) => f.badge).map((f) => f.text);
  await page.close();
  assert.deepEqual(badges, [], `panel numbers below WCAG AA:\n${badges.join("\n")}`);
});

test("Tab reaches every control, each with a visible focus indicator", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  const panelIds = await page.locator("#panels section.panel").evaluateAll((els) => els.map((e) => e.dataset.panel));
  await page.evaluate(() => document.activeElement?.blur());
  const stops = [];
  for (let i = 0; i < 150; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const cs = getComputedStyle(e);
      const panel = e.closest("section.panel")?.dataset.panel ?? null;
      const r = e.getBoundingClientRect();
      return {
        what:
          e.id ||
          (e.classList.contains("chip-remove") ? "chip-remove" : "") ||
          (e.classList.contains("csv") ? "csv" : "") ||
          (e.classList.contains("map-area") ? "map-area" : "") ||
          (e.localName === "summary" && panel ? "summary" : "") ||
          e.localName,
        panel,
        focusVisible: e.matches(":focus-visible"),
        indicator: (cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2) || cs.boxShadow !== "none",
        onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
      };
    });
    if (!f) break; // past the last stop
    stops.push(f);
  }
  const names = stops.map((s) => (s.panel ? `${s.what}@${s.panel}` : s.what));
  for (const s of stops) {
    const name = s.panel ? `${s.what}@${s.panel}` : s.what;
    assert.equal(s.focusVisible, true, `${name} is not :focus-visible`);
    assert.equal(s.indicator, true, `${name} has no visible focus outline`);
    assert.equal(s.onScreen, true, `${name} is focused off screen`);
  }
  const expected = [
    "q",
    "export-pdf",
    "print",
    "chip-remove",
    "cq",
    "comment-general",
    ...panelIds.flatMap((id) => [`summary@${id}`, `csv@${id}`, `comment-${id}@${id}`]),
    "map-view",
    "map-type",
    "map-indicator",
    "map-year",
    "map-method",
    "map-classes",
    "map-palette",
    "map-circles",
    "map-area",
    "map-export-svg",
    "map-export-png",
    "map-data-summary",
  ];
  for (const e of expected) assert.ok(names.includes(e), `Tab never reaches ${e}: ${names.join(" → ")}`);
  assert.equal(names[0], "a", "the skip link comes first");
  console.log(`# ${stops.length} Tab stops: ${names.join(" → ")}`);

  // Keyboard actions: Enter opens a data table, whose box is then the
  // next stop (it scrolls on a phone); Space ticks the circles checkbox.
  const summary = page.locator("#panels details.panel-data > summary").first();
  await summary.focus();
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#panels details.panel-data").first().getAttribute("open"), "");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("role")), "region");
  assert.match(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), /^Tableau des données : /);
  await page.locator("#map-circles").focus();
  await page.keyboard.press("Space");
  assert.equal(await page.locator("#map-circles").isChecked(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

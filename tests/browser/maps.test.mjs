// Browser tests of the « Cartes » section with the real pack, in Debian's
// headless Chromium: the default map and its features, the tooltip, click
// and keyboard selection of the study territory, the classification
// controls, proportional circles, manual bounds and their errors, the
// typology, the SVG and PNG exports, the map state in the URL. Also prints
// how long the France EPCI choropleth and a typology recomputation take.
//
//   node --test tests/browser/        (make test runs them)

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { openViewer } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 180_000 };
const NANTES = "epci:244400404";
const ANGERS = "epci:244900015"; // Angers Loire Métropole
const STATUS_LABEL = /secret|non disponible|≤|ordre de grandeur|couverture|sans objet|non diffusé/i;

const env = useBrowser();

/** Opens the page at `path` and waits until the page and its map are ready. */
async function ready(path = "", { viewport } = {}) {
  const { page, problems } = await openViewer(env.browser, env.server.url + path);
  if (viewport) await page.setViewportSize(viewport);
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== "ready") assert.fail(`the page did not load: ${await page.locator("#error").textContent()}`);
  await mapDrawn(page);
  return { page, problems };
}

/** Waits for a draw to finish (ready or error). */
async function mapDrawn(page) {
  await page.waitForFunction(() => ["ready", "error"].includes(document.getElementById("cartes")?.dataset.mapState));
  const state = await page.evaluate(() => document.getElementById("cartes").dataset.mapState);
  if (state !== "ready") assert.fail(`the map did not draw: ${await page.locator("#map-error").textContent()}`);
}

/** Runs `action` and waits for the map to be drawn again. */
async function redraw(page, action) {
  const before = await page.evaluate(() => performance.getEntriesByName("instantane:map").length);
  await action();
  await page.waitForFunction(
    (n) => performance.getEntriesByName("instantane:map").length > n || document.getElementById("cartes").dataset.mapState === "error",
    before,
  );
}

function queryOf(page) {
  return decodeURIComponent(new URL(page.url()).search);
}

/** The core's own answer, from a viewer of its own in the page. */
async function coreMap(page, request) {
  return page.evaluate(async (request) => {
    const core = await import("./pkg/territoire.js");
    await core.default();
    const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
    try {
      return { map: v.map(request), indicators: v.map_indicators() };
    } finally {
      v.free();
    }
  }, request);
}

/** A point inside the territory `key` on screen where it is the topmost element. */
async function pointIn(page, key) {
  const p = await page.evaluate((key) => {
    const el = [...document.querySelectorAll("#map-canvas path[data-id]")].find((e) => e.getAttribute("data-id") === key);
    if (!el) return null;
    el.scrollIntoView({ block: "center" });
    const box = el.getBoundingClientRect();
    const ctm = el.getScreenCTM();
    const svg = el.ownerSVGElement;
    // Scan the box for a point inside the area that no other element covers.
    for (const steps of [9, 21, 41]) {
      for (let i = 1; i < steps; i++) {
        for (let j = 1; j < steps; j++) {
          const x = box.left + (box.width * i) / steps;
          const y = box.top + (box.height * j) / steps;
          const pt = svg.createSVGPoint();
          pt.x = x;
          pt.y = y;
          const local = pt.matrixTransform(ctm.inverse());
          if (!el.isPointInFill(local)) continue;
          if (document.elementFromPoint(x, y) === el) return { x, y };
        }
      }
    }
    return null;
  }, key);
  assert.ok(p, `no visible point inside ${key}`);
  return p;
}

async function classEntries(page) {
  return page.evaluate(() => Number(document.getElementById("cartes").dataset.classes));
}

/** The legend as the accessible table shows it: [label, count]. */
async function legendRows(page) {
  if (!(await page.locator("#map-data").evaluate((d) => d.open))) await page.locator("#map-data-summary").click();
  await page.waitForFunction(() => document.querySelectorAll("#map-data .map-legend-table tbody tr").length > 0);
  return page.evaluate(() =>
    [...document.querySelectorAll("#map-data .map-legend-table tbody tr")].map((r) => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim()]),
  );
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

test("the default map draws the Pays de la Loire EPCI with a legend, one path per feature, an accessible table", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  assert.equal(queryOf(page), `?territoire=${NANTES}`, "the default map adds nothing to the URL");
  const dom = await page.evaluate(() => {
    const svg = document.querySelector("#map-canvas > svg.map");
    const ids = [...svg.querySelectorAll("path[data-id]")].map((p) => p.getAttribute("data-id"));
    return {
      ids,
      text: svg.textContent,
      view: document.getElementById("map-view").value,
      indicator: document.getElementById("map-indicator").value,
      method: document.getElementById("map-method").value,
      classes: document.getElementById("map-classes").value,
      year: document.getElementById("map-year").value,
      tabStops: [...svg.querySelectorAll("[tabindex='0']")].map((e) => e.getAttribute("aria-label").replace(/\s/g, " ")),
      study: [...svg.querySelectorAll(".map-study")].map((e) => e.getAttribute("data-id")),
      inlineStyles: svg.querySelectorAll("[style]").length,
    };
  });
  assert.equal(dom.view, "pdl_epci");
  assert.equal(dom.indicator, "taux_pauvrete");
  assert.equal(dom.method, "quantiles");
  const { map, indicators } = await coreMap(page, {
    view: "pdl_epci",
    layer: { kind: "choropleth", indicator: "taux_pauvrete", year: Number(dom.year), method: { method: "quantiles" }, classes: Number(dom.classes), palette: null, circles: false },
    highlight: [NANTES],
    width: 800,
    height: 640,
  });
  const pauvrete = (Array.isArray(indicators) ? indicators : indicators.indicators).find((i) => (i.id ?? i.indicator) === "taux_pauvrete");
  assert.equal(Number(dom.year), Math.max(...pauvrete.years), "the latest year by default");
  const keys = map.features.map((f) => f.key);
  assert.ok(keys.length >= 20 && keys.every((k) => k.startsWith("epci:")), `${keys.length} features`);
  assert.equal(new Set(dom.ids).size, dom.ids.length, "one path per territory");
  assert.deepEqual([...dom.ids].sort(), [...keys].sort(), "the paths are the features");
  assert.ok(map.legend.length >= Number(dom.classes), JSON.stringify(map.legend));
  for (const entry of map.legend) assert.ok(dom.text.includes(entry.label), `legend « ${entry.label} » in the SVG`);
  assert.deepEqual(dom.tabStops, ["Nantes Métropole : 12,8 %"], "one tab stop: the study territory");
  assert.deepEqual(dom.study, [NANTES], "the study territory is outlined");
  assert.equal(dom.inlineStyles, 0);
  // The accessible table: one row per feature, the legend with its counts.
  await page.locator("#map-data-summary").click();
  await page.waitForFunction(() => document.querySelectorAll("#map-data .map-table tbody tr").length > 0);
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll("#map-data .map-table tbody tr")].map((r) => [...r.cells].map((c) => c.textContent)),
  );
  assert.equal(rows.length, keys.length);
  assert.ok(rows.some((r) => r[0] === "Nantes Métropole" && /^12,8\s%$/.test(r[1])), JSON.stringify(rows.slice(0, 3)));
  const legend = await legendRows(page);
  assert.equal(legend.length, map.legend.length);
  assert.match(await page.locator("#map-sources").textContent(), /Filosofi/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("hovering Nantes Métropole shows its name and « 12,8 % »; a click on Angers switches the study territory", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  const p = await pointIn(page, NANTES);
  await page.mouse.move(p.x, p.y);
  const tip = page.locator("#map-tooltip");
  await tip.waitFor({ state: "visible" });
  const text = await tip.textContent();
  assert.match(text, /Nantes Métropole/);
  assert.match(text, /12,8\s%/);
  const q = await pointIn(page, ANGERS);
  await page.mouse.move(q.x, q.y);
  assert.match(await tip.textContent(), /Angers Loire Métropole/);
  await page.mouse.click(q.x, q.y);
  await page.locator("#fiche-title", { hasText: "Angers Loire Métropole" }).waitFor();
  assert.equal(queryOf(page), `?territoire=${ANGERS}`);
  // The map follows: the new study territory is outlined.
  await page.waitForFunction(
    (key) => [...document.querySelectorAll("#map-canvas .map-study")].some((e) => e.getAttribute("data-id") === key),
    ANGERS,
  );
  await page.mouse.move(0, 0);
  await tip.waitFor({ state: "hidden" });
  // Back: Nantes again.
  await page.goBack();
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

/** The map on screen: its outlines group(s) (markup, ids aside), the keys
 * marked study / comparison, the table's study rows, and whether every
 * territory's path is still the node marked by markNodes(). */
function mapNow(page) {
  return page.evaluate(() => {
    const svg = document.querySelector("#map-canvas > svg.map");
    const groups = [...svg.querySelectorAll("g[data-outlines]")];
    const norm = (el) => el.outerHTML.replace(/\s(id|aria-labelledby|aria-describedby)="[^"]*"/g, "");
    const paths = [...svg.querySelectorAll("path[data-id]")];
    return {
      outlines: groups.map(norm),
      outlinesParent: groups.map((g) => g.parentNode === svg),
      outlinesIndex: groups.map((g) => [...svg.children].indexOf(g)),
      study: [...svg.querySelectorAll(".map-study")].map((e) => e.getAttribute("data-id")),
      compare: [...svg.querySelectorAll(".map-compare")].map((e) => e.getAttribute("data-id")).sort(),
      paths: paths.length,
      sameNodes: paths.length > 0 && paths.every((p) => p.__instantaneMark === true) && svg.__instantaneMark === true,
      studyRows: [...document.querySelectorAll("#map-data .map-table tbody tr.row-study")].map((r) => r.cells[0].textContent),
      highlightSwaps: performance.getEntriesByName("instantane:map-highlight").length,
    };
  });
}

function markNodes(page) {
  return page.evaluate(() => {
    const svg = document.querySelector("#map-canvas > svg.map");
    svg.__instantaneMark = true;
    for (const p of svg.querySelectorAll("path[data-id]")) p.__instantaneMark = true;
  });
}

async function downloadSvg(page) {
  const [d] = await Promise.all([page.waitForEvent("download"), page.locator("#map-export-svg").click()]);
  return readFileSync(await d.path(), "utf8");
}

test("a territory switch swaps the map's outlines in place: same territory nodes, same outlines as a full redraw", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await page.locator("#map-data-summary").click();
  await page.waitForFunction(() => document.querySelectorAll("#map-data .map-table tbody tr").length > 0);
  await markNodes(page);
  const before = await mapNow(page);
  assert.equal(before.outlines.length, 1, "one outlines group");
  assert.match(before.outlines[0], /^<g data-outlines="" role="group" aria-label="Territoires mis en évidence : Nantes Métropole/);
  assert.deepEqual(before.study, [NANTES]);
  assert.deepEqual(before.studyRows, ["Nantes Métropole"]);

  // A click on Angers: the snapshot changes, then the map's highlight only.
  const q = await pointIn(page, ANGERS);
  await redraw(page, () => page.mouse.click(q.x, q.y));
  await page.locator("#fiche-title", { hasText: "Angers Loire Métropole" }).waitFor();
  await page.waitForFunction((key) => document.querySelector("#map-canvas .map-study")?.getAttribute("data-id") === key, ANGERS);
  const swapped = await mapNow(page);
  assert.ok(swapped.sameNodes, "the territories' paths are the same DOM nodes");
  assert.equal(swapped.paths, before.paths);
  assert.equal(swapped.highlightSwaps, before.highlightSwaps + 1, "instantane:map-highlight measured");
  assert.deepEqual(swapped.study, [ANGERS], "the study class moved");
  assert.ok(!swapped.compare.includes(NANTES) && !swapped.compare.includes(ANGERS), JSON.stringify(swapped.compare));
  assert.equal(swapped.studyRows.length, 1, "one study row");
  assert.match(swapped.studyRows[0], /Angers Loire Métropole/, "the table's study row moved");
  assert.equal(swapped.outlines.length, 1);
  assert.deepEqual(swapped.outlinesIndex, before.outlinesIndex, "at the same place in the map");
  assert.deepEqual(swapped.outlinesParent, [true]);
  assert.match(swapped.outlines[0], /aria-label="Territoires mis en évidence : [^",]*Angers Loire Métropole/);
  // The click focused Angers' area: the focus stays on that very node.
  assert.deepEqual(
    await page.evaluate(() => [document.activeElement.getAttribute("data-id"), document.activeElement.__instantaneMark === true]),
    [ANGERS, true],
  );
  const exported = await downloadSvg(page);

  // A full redraw with the same highlight (other classes, then back):
  // the same outlines, the same classes, the same exported SVG.
  await redraw(page, () => page.locator("#map-classes").selectOption("6"));
  await redraw(page, () => page.locator("#map-classes").selectOption("5"));
  const full = await mapNow(page);
  assert.ok(!full.sameNodes, "a full redraw makes new nodes");
  assert.deepEqual(swapped.outlines, full.outlines, "the swapped outlines are those of a full redraw");
  assert.deepEqual(swapped.outlinesIndex, full.outlinesIndex);
  assert.deepEqual([swapped.study, swapped.compare], [full.study, full.compare]);
  assert.ok(exported === (await downloadSvg(page)), "the SVG export after a swap is the full redraw's");

  // Back to Nantes (popstate): swapped in place too.
  await markNodes(page);
  await redraw(page, () => page.goBack());
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  const back = await mapNow(page);
  assert.ok(back.sameNodes, "back: the same territory nodes");
  assert.deepEqual(back.study, [NANTES]);
  assert.deepEqual(back.outlines, before.outlines, "back: Nantes' outlines again");
  assert.deepEqual(back.studyRows, ["Nantes Métropole"]);

  // No study territory: an empty group, with no accessible label, stays
  // in place for the next swap.
  await markNodes(page);
  await page.evaluate(() => {
    history.pushState(null, "", "?");
    dispatchEvent(new PopStateEvent("popstate"));
  });
  await page.waitForFunction(() => !document.querySelector("#map-canvas .map-study"));
  const none = await mapNow(page);
  assert.ok(none.sameNodes);
  assert.deepEqual(none.outlines, ['<g data-outlines=""></g>']);
  assert.deepEqual(none.outlinesIndex, before.outlinesIndex);
  assert.deepEqual(none.studyRows, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the keyboard walks the territories: Tab into the map, arrows to another one, Enter selects it", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await page.locator("#map-circles").focus();
  let label = null;
  for (let i = 0; i < 12 && !label; i++) {
    await page.keyboard.press("Tab");
    label = await page.evaluate(() => {
      const el = document.activeElement;
      return el?.closest("#map-canvas") ? el.getAttribute("aria-label").replace(/\s/g, " ") : null;
    });
  }
  assert.equal(label, "Nantes Métropole : 12,8 %");
  assert.equal(await page.locator("#map-tooltip").isVisible(), true, "the tooltip follows the focus");
  await page.keyboard.press("ArrowRight");
  const next = await page.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
      key: el.getAttribute("data-id"),
      label: el.getAttribute("aria-label"),
      tabindex: el.getAttribute("tabindex"),
      stops: document.querySelectorAll("#map-canvas [tabindex='0']").length,
      outline: style.outlineStyle,
      width: parseFloat(style.outlineWidth),
    };
  });
  assert.notEqual(next.key, NANTES);
  assert.match(next.label, /^.+ : .+$/);
  assert.equal(next.tabindex, "0");
  assert.equal(next.stops, 1, "a roving tabindex: one tab stop");
  assert.equal(next.outline, "solid");
  assert.ok(next.width >= 2, `focus ring ${next.width}px`);
  await page.keyboard.press("ArrowLeft");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-id")), NANTES);
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Enter");
  const name = next.label.split(" : ")[0];
  await page.locator("#fiche-title", { hasText: name }).waitFor();
  assert.equal(queryOf(page), `?territoire=${next.key}`);
  // The focus stays on the chosen territory after the redraw.
  await page.waitForFunction(
    (key) => [...document.querySelectorAll("#map-canvas .map-study")].some((e) => e.getAttribute("data-id") === key),
    next.key,
  );
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-id")), next.key);
  assert.deepEqual(problems, []);
  await page.close();
});

test("method, number of classes and circles redraw the map; the legend follows", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  for (const [method, k] of [["equal_intervals", 7], ["jenks", 4], ["std_dev", 6], ["quantiles", 3]]) {
    await redraw(page, () => page.locator("#map-method").selectOption(method));
    await redraw(page, () => page.locator("#map-classes").selectOption(String(k)));
    assert.equal(await page.evaluate(() => document.getElementById("cartes").dataset.mapState), "ready", await page.locator("#map-error").textContent());
    const got = await classEntries(page);
    // Mean ± σ drops a bound outside the values' range: fewer classes, said in the status.
    if (method === "std_dev") {
      assert.ok(got >= 2 && got <= k, `${method}: ${got} classes for ${k}`);
      if (got < k) assert.match(await page.locator("#map-status").textContent(), new RegExp(`${got} classes au lieu de ${k}`));
    } else {
      assert.equal(got, k, `${method}: ${k} classes`);
    }
    const legend = await legendRows(page);
    assert.equal(legend.filter(([label]) => !STATUS_LABEL.test(label)).length, got, `${method}: ${JSON.stringify(legend)}`);
  }
  assert.match(queryOf(page), /carte=pdl_epci&indicateur=taux_pauvrete&annee=\d{4}&methode=quantiles&classes=3/);
  const circles = () => page.evaluate(() => document.querySelectorAll("#map-canvas svg circle").length);
  const none = await circles();
  await redraw(page, () => page.locator("#map-circles").check());
  const some = await circles();
  assert.ok(some > none + 10, `circles: ${none} → ${some}`);
  assert.match(queryOf(page), /cercles=1/);
  await redraw(page, () => page.locator("#map-circles").uncheck());
  assert.equal(await circles(), none);
  // Another indicator.
  await redraw(page, () => page.locator("#map-indicator").selectOption("taux_chomage"));
  assert.match(await page.locator("#map-title").textContent(), /chômage/i);
  assert.deepEqual(problems, []);
  await page.close();
});

test("manual bounds « 10;12,5;15 » give four classes; a bad input shows a French error and keeps the map", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await redraw(page, () => page.locator("#map-method").selectOption("manual"));
  assert.equal(await page.locator("#map-breaks").isVisible(), true);
  assert.equal(await page.locator("#map-classes").isVisible(), false);
  await redraw(page, async () => {
    await page.locator("#map-breaks").fill("10;12,5;15");
    await page.locator("#map-breaks").press("Enter");
  });
  assert.equal(await page.locator("#map-error").isHidden(), true, await page.locator("#map-error").textContent());
  assert.equal(await classEntries(page), 4);
  // The bounds asked for are the bounds drawn, not rounded.
  const breaks = await page.evaluate(() => document.getElementById("cartes").dataset.breaks);
  assert.match(breaks, /^[^;]+;10;12\.5;15;[^;]+$/, breaks);
  assert.ok((await legendRows(page)).some(([label]) => /12,5/.test(label)));
  assert.match(queryOf(page), /methode=manuel&seuils=10;12,5;15/);
  // Reload: the bounds come back.
  await page.reload();
  await mapDrawn(page);
  assert.equal(await page.locator("#map-breaks").inputValue(), "10;12,5;15");
  assert.equal(await classEntries(page), 4);

  for (const [input, message] of [
    ["10;abc;15", /« abc » n'est pas un nombre/],
    ["15 ; 10", /croissants/],
    ["", /au moins un seuil/],
  ]) {
    await redraw(page, async () => {
      await page.locator("#map-breaks").fill(input);
      await page.locator("#map-breaks").press("Enter");
    });
    const error = page.locator("#map-error");
    await error.waitFor({ state: "visible" });
    const text = await error.textContent();
    assert.match(text, message, text);
    assert.match(text, /^Carte impossible : Seuils manuels : /, text);
    assert.equal(await page.locator("#map-canvas svg.map").count(), 1, "the previous map stays");
  }
  // A good input again clears the error.
  await redraw(page, async () => {
    await page.locator("#map-breaks").fill("8 ; 11");
    await page.locator("#map-breaks").press("Enter");
  });
  assert.equal(await page.locator("#map-error").isHidden(), true);
  assert.equal(await classEntries(page), 3);
  // What only the core checks (2 to 8 bounds) shows its French message the same way.
  await redraw(page, async () => {
    await page.locator("#map-breaks").fill("10");
    await page.locator("#map-breaks").press("Enter");
  });
  const coreError = await page.locator("#map-error").textContent();
  assert.match(coreError, /^Carte impossible : .*(entre 3 et 9|de 2 à 8)/, coreError);
  assert.equal(await page.locator("#map-canvas svg.map").count(), 1, "the previous map stays");
  assert.deepEqual(problems, []);
  await page.close();
});

test("the typology map draws its classes and profiles; recomputing with other variables and classes redraws it", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await redraw(page, () => page.locator("#map-type").selectOption("typology"));
  assert.equal(await page.locator("#map-choro").isHidden(), true);
  assert.equal(await page.locator("#map-typology").isVisible(), true);
  assert.match(queryOf(page), /type=typologie/);
  const stored = await page.evaluate(() => ({
    rows: [...document.querySelectorAll("#map-typology-classes tbody tr")].map((r) => [r.cells[0].textContent.trim(), r.cells[1].textContent.trim(), r.cells[2].textContent.trim()]),
    profiles: document.querySelectorAll("#map-profiles svg").length,
    checked: [...document.querySelectorAll("#map-vars input:checked")].map((c) => c.value),
    boxes: document.querySelectorAll("#map-vars input").length,
    paths: document.querySelectorAll("#map-canvas path[data-id]").length,
    meta: document.getElementById("map-typology-meta").textContent,
  }));
  assert.ok(stored.rows.length >= 4 && stored.rows.length <= 7, JSON.stringify(stored.rows));
  assert.equal(stored.profiles, 1, "the profiles SVG");
  assert.ok(stored.checked.length >= 2, `pre-checked: ${stored.checked}`);
  assert.ok(stored.boxes > stored.checked.length, "other indicators offered");
  assert.ok(stored.paths >= 20);
  const int = (t) => Number(t.replace(/\s/g, ""));
  const sizes = stored.rows.reduce((s, [, n]) => s + int(n), 0);
  const shown = stored.rows.reduce((s, [, , n]) => s + int(n), 0);
  assert.ok(sizes > 1000, `the stored typology classes the EPCI of France: ${sizes}`);
  assert.ok(shown > 0 && shown <= stored.paths, `${shown} classed on a map of ${stored.paths} territories`);
  assert.match(stored.meta, /Ward/);
  assert.equal(await page.locator("#map-canvas [tabindex='0']").getAttribute("aria-label").then((l) => l.startsWith("Nantes Métropole : ")), true);

  // Recompute: drop one variable, four classes.
  await page.locator(`#map-vars input[value="${stored.checked.at(-1)}"]`).uncheck();
  await page.locator("#map-typo-classes").selectOption("4");
  await redraw(page, () => page.locator("#map-recompute").click());
  assert.equal(await page.evaluate(() => document.getElementById("cartes").dataset.mapState), "ready", await page.locator("#map-error").textContent());
  const rows = await page.locator("#map-typology-classes tbody tr").count();
  assert.equal(rows, 4);
  assert.equal(await page.locator("#map-vars input:checked").count(), stored.checked.length - 1);
  assert.match(queryOf(page), /type=typologie&variables=[^&]+&classes=4/);
  // It survives a reload.
  await page.reload();
  await mapDrawn(page);
  assert.equal(await page.locator("#map-typology-classes tbody tr").count(), 4);
  assert.equal(await page.locator("#map-vars input:checked").count(), stored.checked.length - 1);
  // Fewer than two variables: a French error, the map stays.
  while ((await page.locator("#map-vars input:checked").count()) > 1) await page.locator("#map-vars input:checked").first().uncheck();
  await page.locator("#map-recompute").click();
  assert.match(await page.locator("#map-error").textContent(), /au moins deux variables/);
  assert.equal(await page.locator("#map-canvas svg.map").count(), 1);
  // Time to recompute (printed): median of 5, alternating 5 and 6 classes.
  await page.locator("#map-typo-reset").click();
  await mapDrawn(page);
  const times = [];
  for (let i = 0; i < 6; i++) {
    await page.locator("#map-typo-classes").selectOption(i % 2 ? "5" : "6");
    await redraw(page, () => page.locator("#map-recompute").click());
    times.push(await page.evaluate(() => performance.getEntriesByName("instantane:typology").at(-1).duration));
  }
  const vars = await page.locator("#map-vars input:checked").count();
  console.log(
    `typology recomputation (pdl_epci, ${vars} variables, 5–6 classes) in headless Chromium: viewer.map + DOM median ${median(times.slice(1)).toFixed(1)} ms over 5 (min ${Math.min(...times.slice(1)).toFixed(1)}, max ${Math.max(...times.slice(1)).toFixed(1)})`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("the density grid and the other views draw", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await redraw(page, () => page.locator("#map-type").selectOption("density_grid"));
  assert.equal(await page.evaluate(() => document.getElementById("cartes").dataset.mapState), "ready", await page.locator("#map-error").textContent());
  assert.ok((await page.locator("#map-canvas path[data-id]").count()) >= 20);
  await redraw(page, () => page.locator("#map-type").selectOption("choropleth"));
  await redraw(page, () => page.locator("#map-view").selectOption("departement_epci"));
  assert.equal(await page.locator("#map-dep").isVisible(), true);
  const in44 = await page.locator("#map-canvas path[data-id]").count();
  await redraw(page, () => page.locator("#map-dep").selectOption("72"));
  const in72 = await page.locator("#map-canvas path[data-id]").count();
  assert.ok(in44 > 3 && in72 > 3, `${in44} / ${in72}`);
  assert.match(queryOf(page), /carte=departement_epci&departement=72/);
  await redraw(page, () => page.locator("#map-view").selectOption("pdl_communes"));
  const communes = await page.locator("#map-canvas path[data-id]").count();
  assert.ok(communes > 1000, `${communes} communes`);
  // A commune leads to its EPCI's snapshot.
  const key = await page.evaluate(() => {
    const el = [...document.querySelectorAll("#map-canvas path[data-id]")].find((e) => /^com:/.test(e.getAttribute("data-id")) && !e.classList.contains("map-study"));
    return el.getAttribute("data-id");
  });
  const p = await pointIn(page, key);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction((nantes) => new URLSearchParams(location.search).get("territoire") !== nantes, NANTES);
  assert.match(new URLSearchParams(new URL(page.url()).search).get("territoire"), /^epci:/);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the map exports as SVG and as PNG (2×), under the page's CSP", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  const [svgDownload] = await Promise.all([page.waitForEvent("download"), page.locator("#map-export-svg").click()]);
  assert.equal(svgDownload.suggestedFilename(), "carte-pdl_epci-taux_pauvrete.svg");
  const svg = readFileSync(await svgDownload.path(), "utf8");
  assert.ok(svg.length > 1000, `${svg.length} bytes`);
  assert.match(svg, /^(<\?xml[^>]*>\s*)?<svg[\s>]/);
  assert.match(svg, /data-id="epci:244400404"/);
  const [pngDownload] = await Promise.all([page.waitForEvent("download"), page.locator("#map-export-png").click()]);
  assert.equal(pngDownload.suggestedFilename(), "carte-pdl_epci-taux_pauvrete.png");
  const png = readFileSync(await pngDownload.path());
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const shown = await page.evaluate(() => {
    const vb = document.querySelector("#map-canvas svg.map").viewBox.baseVal;
    return { width: vb.width, height: vb.height };
  });
  assert.equal(width, Math.round(shown.width * 2), "2× wide");
  assert.equal(height, Math.round(shown.height * 2), "2× high");
  assert.ok(png.length > 5000, `${png.length} bytes`);
  assert.equal(await page.locator("#map-error").isHidden(), true, await page.locator("#map-error").textContent());
  assert.deepEqual(problems, [], "no CSP violation");
  await page.close();
});

test("the map state is kept in the URL and restored on reload and by the back button", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await redraw(page, () => page.locator("#map-view").selectOption("departement_epci"));
  await redraw(page, () => page.locator("#map-dep").selectOption("49"));
  await redraw(page, () => page.locator("#map-indicator").selectOption("taux_chomage"));
  await redraw(page, () => page.locator("#map-method").selectOption("jenks"));
  await redraw(page, () => page.locator("#map-classes").selectOption("6"));
  await redraw(page, () => page.locator("#map-circles").check());
  const query = queryOf(page);
  assert.match(query, /^\?territoire=epci:244400404&carte=departement_epci&departement=49&indicateur=taux_chomage&annee=\d{4}&methode=jenks&classes=6&cercles=1$/, query);
  const before = await page.evaluate(() => ({
    ids: [...document.querySelectorAll("#map-canvas path[data-id]")].map((p) => p.getAttribute("data-id")).join(","),
    classes: document.getElementById("cartes").dataset.classes,
    circles: document.querySelectorAll("#map-canvas circle").length,
  }));
  await page.reload();
  await mapDrawn(page);
  const after = await page.evaluate(() => ({
    controls: ["map-view", "map-dep", "map-indicator", "map-method", "map-classes"].map((id) => document.getElementById(id).value),
    circlesBox: document.getElementById("map-circles").checked,
    ids: [...document.querySelectorAll("#map-canvas path[data-id]")].map((p) => p.getAttribute("data-id")).join(","),
    classes: document.getElementById("cartes").dataset.classes,
    circles: document.querySelectorAll("#map-canvas circle").length,
  }));
  assert.deepEqual(after.controls, ["departement_epci", "49", "taux_chomage", "jenks", "6"]);
  assert.equal(after.circlesBox, true);
  assert.equal(after.ids, before.ids);
  assert.equal(after.classes, before.classes);
  assert.equal(after.circles, before.circles);
  assert.equal(queryOf(page), query);
  // Choosing a territory keeps the map parameters; back restores both.
  const key = await page.evaluate(() => [...document.querySelectorAll("#map-canvas path[data-id]")].map((p) => p.getAttribute("data-id")).find((k) => k !== "epci:244400404"));
  const p = await pointIn(page, key);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction((key) => new URLSearchParams(location.search).get("territoire") === key, key);
  assert.match(queryOf(page), /&carte=departement_epci&departement=49&indicateur=taux_chomage/);
  await page.goBack();
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.equal(queryOf(page), query);
  // Back to the defaults: the parameters leave the URL.
  await redraw(page, () => page.locator("#map-circles").uncheck());
  await redraw(page, () => page.locator("#map-classes").selectOption("5"));
  await redraw(page, () => page.locator("#map-method").selectOption("quantiles"));
  await redraw(page, () => page.locator("#map-indicator").selectOption("taux_pauvrete"));
  await redraw(page, () => page.locator("#map-view").selectOption("pdl_epci"));
  assert.equal(queryOf(page), `?territoire=${NANTES}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("without a study territory the map still draws; an unknown map parameter falls back to the defaults", T, async () => {
  const { page, problems } = await ready("?carte=nowhere&indicateur=nothing&classes=42&methode=magic");
  const controls = await page.evaluate(() => ["map-view", "map-indicator", "map-method", "map-classes"].map((id) => document.getElementById(id).value));
  assert.deepEqual(controls, ["pdl_epci", "taux_pauvrete", "quantiles", "5"]);
  assert.equal(await page.locator("#map-canvas .map-study").count(), 0);
  assert.equal(await page.locator("#map-canvas [tabindex='0']").count(), 1);
  // Clicking a territory opens its snapshot.
  const p = await pointIn(page, NANTES);
  await page.mouse.click(p.x, p.y);
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test("time to draw the France EPCI choropleth (printed, not asserted)", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}&carte=france_epci`, { viewport: { width: 1280, height: 1000 } });
  const paths = await page.locator("#map-canvas path[data-id]").count();
  assert.ok(paths > 1000, `${paths} EPCI`);
  const total = [];
  const core = [];
  for (let i = 0; i < 8; i++) {
    await redraw(page, () => page.locator("#map-classes").selectOption(i % 2 ? "5" : "6"));
    const m = await page.evaluate(() => ({
      total: performance.getEntriesByName("instantane:map").at(-1).duration,
      core: performance.getEntriesByName("instantane:map-core").at(-1).duration,
      bytes: document.querySelector("#map-canvas svg.map").outerHTML.length,
    }));
    total.push(m.total);
    core.push(m.core);
    if (i === 7) console.log(`  (France EPCI SVG: ${(m.bytes / 1024).toFixed(0)} KiB in the DOM)`);
  }
  // The first draw warms up.
  console.log(
    `France EPCI choropleth (${paths} EPCI) in headless Chromium: viewer.map + DOM insert median ${median(total.slice(1)).toFixed(1)} ms over 7 ` +
      `(of which viewer.map ${median(core.slice(1)).toFixed(1)} ms; min ${Math.min(...total.slice(1)).toFixed(1)}, max ${Math.max(...total.slice(1)).toFixed(1)})`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

// Browser tests of the snapshot page with the real pack, in Debian's headless
// Chromium: the nine infographics, the comparison territories, the URL,
// comments kept per territory, the CSV download, the data tables, the
// keyboard. Also prints how long a territory switch takes.
//
//   node --test tests/browser/        (make test runs them)

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { openViewer, storedWhen } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 120_000 };
const NANTES = "epci:244400404";
const PANEL_COUNT = 9;
const NASTY = `<script>alert(1)</script> ]]> "quotes" & ampersand`;

const env = useBrowser();

/** Opens the page at `path` (a query string), waits until it is ready. */
async function ready(path = "", { page: existing } = {}) {
  let page = existing;
  let problems = [];
  if (page) {
    await page.goto(env.server.url + path);
    await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state));
  } else {
    ({ page, problems } = await openViewer(env.browser, env.server.url + path));
  }
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== "ready") assert.fail(`the page did not load: ${await page.locator("#error").textContent()}`);
  return { page, problems };
}

/** Waits for the snapshot of `name` to be on screen. */
async function shown(page, name) {
  await page.locator("#fiche-title", { hasText: name }).waitFor();
  await page.locator("#fiche").waitFor({ state: "visible" });
}

function escapeRe(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Picks `name` in the study search, typing `query`. */
async function chooseStudy(page, query, name) {
  const input = page.locator("#q");
  await input.fill("");
  await input.fill(query);
  const option = page
    .locator("#results [role=option]")
    .filter({ has: page.locator(".option-name", { hasText: new RegExp(`^${escapeRe(name)}$`) }) })
    .first();
  await option.click();
  await shown(page, name);
}

async function chipNames(page) {
  return page.locator("#chips .chip-name").allTextContents();
}

function queryOf(page) {
  return decodeURIComponent(new URL(page.url()).search);
}

/** What the core itself returns, from a viewer of its own in the page. */
async function coreSnapshot(page, code, compare) {
  return page.evaluate(
    async ({ code, compare }) => {
      const core = await import("./pkg/territoire.js");
      await core.default();
      const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
      try {
        return v.snapshot(code, compare === null ? undefined : compare);
      } finally {
        v.free();
      }
    },
    { code, compare: compare === undefined ? null : compare },
  );
}

/** The data tables of the page's panels as text matrices, by panel id
 * (each « Tableau des données » opened first: the page builds a table
 * when its disclosure opens). */
async function pageTables(page) {
  return page.evaluate(async () => {
    const sections = [...document.querySelectorAll("#panels section.panel")];
    for (const d of document.querySelectorAll("#panels details.panel-data")) d.open = true;
    // The toggle events are queued tasks: wait for every table.
    for (let i = 0; i < 100 && sections.some((s) => !s.querySelector("details.panel-data table")); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    return Object.fromEntries(
      sections.map((s) => {
        const table = s.querySelector("details.panel-data table");
        return [
          s.dataset.panel,
          {
            caption: table.caption?.textContent ?? "",
            columns: [...table.tHead.rows[0].cells].map((c) => c.textContent),
            rows: [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
          },
        ];
      }),
    );
  });
}

function coreTables(snap) {
  return Object.fromEntries(snap.panels.map((p) => [p.id, { caption: p.table.caption, columns: p.table.columns, rows: p.table.rows }]));
}

test("a territory shows nine infographics, each with its title, its SVG, its source and its tools", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await shown(page, "Nantes Métropole");
  const core = await coreSnapshot(page, NANTES);
  assert.equal(core.panels.length, PANEL_COUNT, `the core returns ${core.panels.length} panels`);

  const panels = await page.evaluate(() =>
    [...document.querySelectorAll("#panels > section.panel")].map((s) => {
      const svg = s.querySelector(".panel-figure > svg");
      const title = svg ? [...svg.children].find((c) => c.localName === "title") : null;
      const box = svg?.getBoundingClientRect();
      const text = svg?.querySelector("text");
      return {
        id: s.dataset.panel,
        labelledBy: document.getElementById(s.getAttribute("aria-labelledby"))?.textContent ?? "",
        h2: s.querySelector("h2")?.textContent.trim() ?? "",
        svgTitle: title?.textContent.trim() ?? "",
        svgRole: svg?.getAttribute("role"),
        svgName: svg ? (svg.getAttribute("aria-labelledby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent ?? "").join(" ") : "",
        width: box?.width ?? 0,
        height: box?.height ?? 0,
        font: text ? getComputedStyle(text).fontFamily : "",
        sources: [...s.querySelectorAll(".panel-source")].map((p) => p.textContent),
        summary: s.querySelector("details.panel-data > summary")?.textContent ?? "",
        csv: s.querySelector("button.csv")?.textContent ?? "",
        comment: s.querySelector("textarea")?.labels[0]?.textContent ?? "",
      };
    }),
  );
  assert.equal(panels.length, PANEL_COUNT, panels.map((p) => p.id).join(", "));
  assert.deepEqual(
    panels.map((p) => p.id),
    core.panels.map((p) => p.id),
  );
  for (const [i, p] of panels.entries()) {
    const expected = core.panels[i];
    assert.ok(p.h2.includes(expected.title) && expected.title.trim(), `${p.id}: h2 «${p.h2}»`);
    assert.equal(p.labelledBy, p.h2, `${p.id}: section named by its h2`);
    assert.ok(p.svgTitle, `${p.id}: the SVG has no <title>`);
    assert.equal(p.svgRole, "img", p.id);
    assert.ok(p.svgName.includes(p.svgTitle), `${p.id}: SVG named «${p.svgName}»`);
    assert.ok(p.width > 200 && p.height > 100, `${p.id}: SVG drawn at ${p.width}×${p.height}`);
    assert.match(p.font, /DejaVu Sans/, `${p.id}: SVG text font ${p.font}`);
    assert.ok(p.sources.length >= 1 && p.sources.every((s) => s.startsWith("Source :")), `${p.id}: ${p.sources.join(" | ")}`);
    assert.equal(p.summary, "Tableau des données", p.id);
    assert.match(p.csv, /^Télécharger le CSV/, p.id);
    assert.match(p.comment, /^Votre commentaire/, p.id);
  }
  // Nine SVGs inlined in one page: no id may be repeated.
  const duplicates = await page.evaluate(() => {
    const seen = new Map();
    for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  assert.deepEqual(duplicates, []);
  assert.equal(await page.locator("#panels svg script, #panels svg foreignObject").count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test("infographics off screen are laid out when reached, and already have their final height", T, async () => {
  for (const width of [1280, 375]) {
    const context = await env.browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${env.server.url}?territoire=${NANTES}`);
    await shown(page, "Nantes Métropole");
    const read = () =>
      page.evaluate(() =>
        [...document.querySelectorAll("#panels .panel-figure")].map((f) => ({
          height: f.getBoundingClientRect().height,
          // false while the browser skips its content (content-visibility)
          drawn: f.firstElementChild.checkVisibility({ contentVisibilityAuto: true }),
        })),
      );
    const before = await read();
    assert.equal(before.length, PANEL_COUNT);
    assert.ok(before.some((f) => !f.drawn), `${width} px: every infographic was laid out at once`);
    assert.ok(before[0].drawn, `${width} px: the first infographic, on screen, is not drawn`);
    // Each figure brought on screen in turn, read there.
    const after = await page.evaluate(async () => {
      const out = [];
      for (const f of document.querySelectorAll("#panels .panel-figure")) {
        f.scrollIntoView();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        out.push({ height: f.getBoundingClientRect().height, drawn: f.firstElementChild.checkVisibility({ contentVisibilityAuto: true }) });
      }
      return out;
    });
    assert.ok(after.every((f) => f.drawn), `${width} px: an infographic brought on screen is not drawn`);
    assert.deepEqual(
      after.map((f) => f.height.toFixed(1)),
      before.map((f) => f.height.toFixed(1)),
      `${width} px: a figure changed height when drawn (the page moves under the reader)`,
    );
    await context.close();
  }
});

test("the panels follow the core for the territories chosen; one column on a phone", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await shown(page, "Nantes Métropole");
  assert.deepEqual(await pageTables(page), coreTables(await coreSnapshot(page, NANTES)));

  // Two columns on a wide screen, one on a narrow one.
  const columns = () =>
    page.evaluate(() => new Set([...document.querySelectorAll("#panels > section.panel")].map((s) => Math.round(s.getBoundingClientRect().left))).size);
  await page.setViewportSize({ width: 1200, height: 900 });
  assert.equal(await columns(), 2);
  await page.setViewportSize({ width: 375, height: 800 });
  assert.equal(await columns(), 1);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px on a phone`);
  assert.deepEqual(problems, []);
  await page.close();
});

test("adding and removing comparison territories updates the chips, the URL and the panels", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await shown(page, "Nantes Métropole");
  assert.deepEqual(await chipNames(page), ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine"]);
  assert.equal(await page.locator("#compare-reset").isHidden(), true);

  // Add Maine-et-Loire with the keyboard through the second combobox.
  const cq = page.getByRole("combobox", { name: "Ajouter un territoire de comparaison" });
  await cq.focus();
  await cq.pressSequentially("maine-et", { delay: 10 });
  await page.locator("#compare-results [role=option]").first().waitFor();
  const offered = await page.locator("#compare-results .option-name").allTextContents();
  assert.equal(offered[0], "Maine-et-Loire", offered.join(" | "));
  await page.keyboard.press("ArrowDown");
  assert.equal(await cq.getAttribute("aria-activedescendant"), "cmp-option-0");
  await page.keyboard.press("Enter");
  await page.locator("#chips .chip-name", { hasText: "Maine-et-Loire" }).waitFor();
  assert.deepEqual(await chipNames(page), ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine", "Maine-et-Loire"]);
  assert.equal(queryOf(page), `?territoire=${NANTES}&comparer=44,52,FRM,49`);
  assert.equal(await cq.inputValue(), "");
  assert.match(await page.locator("#compare-status").textContent(), /Maine-et-Loire ajouté/);
  assert.equal(await page.locator("#compare-reset").isVisible(), true);
  const withMaine = await coreSnapshot(page, NANTES, "44,52,FRM,49");
  assert.deepEqual(await pageTables(page), coreTables(withMaine));
  // Territories already there are not offered again.
  await cq.fill("loire-atl");
  await page.waitForTimeout(100);
  assert.ok(!(await page.locator("#compare-results .option-name").allTextContents()).includes("Loire-Atlantique"));
  await cq.fill("");

  // Remove Loire-Atlantique with its button: the focus stays on the chips.
  await page.getByRole("button", { name: "Retirer Loire-Atlantique" }).click();
  await page.waitForFunction(() => !document.querySelector('#chips li[data-key="dep:44"]'));
  assert.deepEqual(await chipNames(page), ["Pays de la Loire", "France métropolitaine", "Maine-et-Loire"]);
  assert.equal(queryOf(page), `?territoire=${NANTES}&comparer=52,FRM,49`);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Retirer Pays de la Loire");
  assert.deepEqual(await pageTables(page), coreTables(await coreSnapshot(page, NANTES, "52,FRM,49")));

  // Back and forward replay the comparisons; a reload restores them.
  await page.goBack();
  await page.locator('#chips li[data-key="dep:44"]').waitFor();
  assert.deepEqual(await chipNames(page), ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine", "Maine-et-Loire"]);
  assert.deepEqual(await pageTables(page), coreTables(withMaine));
  await page.goForward();
  await page.waitForFunction(() => !document.querySelector('#chips li[data-key="dep:44"]'));
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  await shown(page, "Nantes Métropole");
  assert.deepEqual(await chipNames(page), ["Pays de la Loire", "France métropolitaine", "Maine-et-Loire"]);

  // Back to the defaults.
  await page.getByRole("button", { name: "Revenir aux comparaisons par défaut" }).click();
  await page.locator('#chips li[data-key="dep:44"]').waitFor();
  assert.equal(queryOf(page), `?territoire=${NANTES}`);
  assert.deepEqual(await chipNames(page), ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine"]);
  assert.equal(await page.locator("#compare-reset").isHidden(), true);

  // Remove them all: none is a valid choice, kept in the URL as "comparer=".
  for (const name of ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine"]) {
    await page.getByRole("button", { name: `Retirer ${name}` }).click();
    await page.getByRole("button", { name: `Retirer ${name}` }).waitFor({ state: "detached" });
  }
  assert.deepEqual(await chipNames(page), []);
  assert.equal(queryOf(page), `?territoire=${NANTES}&comparer=`);
  assert.equal(await page.locator("#chips-empty").isVisible(), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), "cq");
  assert.deepEqual(problems, []);
  await page.close();
});

test("at most five comparison territories; ambiguous codes keep what was picked", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}&comparer=44,52,FRM,49,72`);
  await shown(page, "Nantes Métropole");
  assert.equal((await chipNames(page)).length, 5);
  await page.locator("#cq").fill("vendee");
  await page.waitForTimeout(100);
  assert.equal(await page.locator("#compare-results").isHidden(), true);
  assert.match(await page.locator("#compare-status").textContent(), /5 territoires de comparaison au maximum/);
  await page.close();

  const six = await ready(`?territoire=${NANTES}&comparer=44,52,FRM,49,72,85`);
  await shown(six.page, "Nantes Métropole");
  assert.deepEqual(await chipNames(six.page), ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine", "Maine-et-Loire", "Sarthe"]);
  assert.match(await six.page.locator("#warning").textContent(), /5 territoires de comparaison au maximum/);
  await six.page.close();

  // "52" next to a Pays de la Loire EPCI is its région; Haute-Marne, picked
  // by name, must stay Haute-Marne (the URL then holds its key).
  const { page: p2 } = await ready(`?territoire=${NANTES}&comparer=`);
  await shown(p2, "Nantes Métropole");
  await p2.locator("#cq").fill("haute-marne");
  await p2.locator("#compare-results [role=option]", { hasText: "Haute-Marne" }).first().click();
  await p2.locator("#chips .chip-name", { hasText: "Haute-Marne" }).waitFor();
  assert.deepEqual(await chipNames(p2), ["Haute-Marne"]);
  assert.equal(queryOf(p2), `?territoire=${NANTES}&comparer=dep:52`);
  await p2.reload();
  await p2.waitForFunction(() => document.body.dataset.state === "ready");
  await shown(p2, "Nantes Métropole");
  assert.deepEqual(await chipNames(p2), ["Haute-Marne"]);
  await p2.close();
  assert.deepEqual(problems, []);
});

test("comments are shown exactly as typed, kept per territory, restored after a reload", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  const dialogs = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await shown(page, "Nantes Métropole");
  const scripts = () => page.evaluate(() => document.querySelectorAll("script").length);
  const before = await scripts();
  const panelIds = await page.locator("#panels section.panel").evaluateAll((s) => s.map((x) => x.dataset.panel));
  assert.equal(panelIds.length, PANEL_COUNT);
  const general = page.getByRole("textbox", { name: "Votre commentaire général sur le territoire" });
  const first = page.locator(`#panels section.panel[data-panel="${panelIds[0]}"] textarea`);
  const last = page.locator(`#panels section.panel[data-panel="${panelIds.at(-1)}"] textarea`);

  await general.fill(NASTY);
  await first.fill(`${NASTY}\nsur deux lignes`);
  await last.click();
  await page.keyboard.type("Tapé au clavier & gardé");
  await page.keyboard.press("Tab"); // blur saves at once
  // … and the debounce saves the others.
  const key = (id) => `instantane:v1:epci:244400404:${id}`;
  const expected = {
    [key("general")]: NASTY,
    [key(panelIds[0])]: `${NASTY}\nsur deux lignes`,
    [key(panelIds.at(-1))]: "Tapé au clavier & gardé",
  };
  assert.deepEqual(await storedWhen(page, expected), expected);

  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  await shown(page, "Nantes Métropole");
  assert.equal(await general.inputValue(), NASTY);
  assert.equal(await first.inputValue(), `${NASTY}\nsur deux lignes`);
  assert.equal(await last.inputValue(), "Tapé au clavier & gardé");
  // The printed copy is text too.
  assert.equal(await page.locator(".general-comment .comment-print").textContent(), NASTY);
  assert.equal(await scripts(), before);
  assert.equal(await page.locator("#fiche script, #fiche [onerror], #fiche img").count(), 0);

  // Another territory has its own comments; coming back shows the first ones.
  await chooseStudy(page, "sable", "Communauté de communes du Pays Sabolien");
  assert.equal(await general.inputValue(), "");
  assert.equal(await first.inputValue(), "");
  await general.fill("Commentaire du Pays Sabolien");
  await chooseStudy(page, "nantes", "Nantes Métropole");
  assert.equal(await general.inputValue(), NASTY);
  assert.equal(await last.inputValue(), "Tapé au clavier & gardé");
  await page.goBack();
  await shown(page, "Pays Sabolien");
  assert.equal(await general.inputValue(), "Commentaire du Pays Sabolien");
  assert.equal(await first.inputValue(), "");
  // A comparison change keeps what is being typed.
  await first.fill("en cours");
  await page.getByRole("button", { name: "Retirer Sarthe" }).click();
  await page.getByRole("button", { name: "Retirer Sarthe" }).waitFor({ state: "detached" });
  assert.equal(await first.inputValue(), "en cours");

  assert.deepEqual(dialogs, []);
  assert.equal(await scripts(), before);
  assert.deepEqual(problems, []);
  await page.close();
});

test("when localStorage fails, a warning shows and the text stays on screen", T, async () => {
  const context = await env.browser.newContext();
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    };
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(err.message));
  await page.goto(`${env.server.url}?territoire=${NANTES}`);
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  await shown(page, "Nantes Métropole");
  assert.equal(await page.locator("#warning").isHidden(), true);
  const general = page.locator("#comment-general");
  await general.fill("Texte à ne pas perdre");
  await general.blur();
  await page.locator("#warning").waitFor({ state: "visible" });
  assert.match(await page.locator("#warning").textContent(), /ne peuvent pas être enregistrés.*plein/);
  assert.equal(await general.inputValue(), "Texte à ne pas perdre");
  // Still there after a comparison change and a round trip to another territory.
  await page.getByRole("button", { name: "Retirer France métropolitaine" }).click();
  await page.getByRole("button", { name: "Retirer France métropolitaine" }).waitFor({ state: "detached" });
  await chooseStudy(page, "sable", "Communauté de communes du Pays Sabolien");
  await page.goBack();
  await shown(page, "Nantes Métropole");
  assert.equal(await general.inputValue(), "Texte à ne pas perdre");
  assert.deepEqual(problems, []);
  await context.close();
});

test("each panel's CSV downloads with a BOM, its header row and the core's rows", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await shown(page, "Nantes Métropole");
  const core = await coreSnapshot(page, NANTES);
  assert.equal(core.panels.length, PANEL_COUNT);
  for (const panel of [core.panels[0], core.panels.at(-1)]) {
    const button = page.locator(`#panels section.panel[data-panel="${panel.id}"] button.csv`);
    const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
    assert.equal(download.suggestedFilename(), `instantane-244400404-${panel.id}.csv`);
    const bytes = readFileSync(await download.path());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 byte order mark");
    const text = bytes.subarray(3).toString("utf8");
    assert.equal(text, panel.csv);
    const header = text.split("\r\n")[0];
    assert.ok(header.split(";").length === panel.table.columns.length, header);
    assert.ok(header.startsWith(panel.table.columns[0].replace(/"/g, '""')) || header.startsWith(`"${panel.table.columns[0]}`), header);
    assert.equal(text.trimEnd().split("\r\n").length, panel.table.rows.length + 1);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("the « Tableau des données » disclosure shows each panel's table", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await shown(page, "Nantes Métropole");
  const core = await coreSnapshot(page, NANTES);
  assert.equal(core.panels.length, PANEL_COUNT);
  for (const panel of core.panels) {
    const section = page.locator(`#panels section.panel[data-panel="${panel.id}"]`);
    const table = section.locator("details.panel-data table");
    assert.equal(await table.isVisible(), false, `${panel.id}: closed at first`);
    await section.locator("details.panel-data > summary").click();
    await table.waitFor({ state: "visible", timeout: 5_000 }); // built as it opens
    assert.equal(await table.locator("caption").textContent(), panel.table.caption);
    assert.equal(await table.locator("thead th[scope=col]").count(), panel.table.columns.length, panel.id);
    assert.equal(await table.locator("tbody tr").count(), panel.table.rows.length, panel.id);
    assert.equal(await table.locator("tbody th[scope=row]").count(), panel.table.rows.length, panel.id);
  }
  // An open table stays open when the comparisons change.
  await page.getByRole("button", { name: "Retirer Loire-Atlantique" }).click();
  await page.getByRole("button", { name: "Retirer Loire-Atlantique" }).waitFor({ state: "detached" });
  assert.equal(await page.locator("#panels details.panel-data[open]").count(), PANEL_COUNT);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the keyboard reaches the comparison controls, the tables, the CSV buttons and the comment boxes", T, async () => {
  const { page, problems } = await ready(`?territoire=${NANTES}`);
  await shown(page, "Nantes Métropole");
  await page.locator("#q").focus();
  const reached = [];
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        what: el.id || el.getAttribute("aria-label") || el.className || el.localName,
        tag: el.localName,
        panel: el.closest("section.panel")?.dataset.panel ?? null,
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
      };
    });
    if (f.tag === "body" || reached.some((r) => r.what === f.what && r.panel === f.panel && r.tag === f.tag)) break;
    reached.push(f);
  }
  const names = reached.map((r) => `${r.tag}:${r.what}`);
  for (const want of ["button:Retirer Loire-Atlantique", "button:Retirer Pays de la Loire", "button:Retirer France métropolitaine", "input:cq", "textarea:comment-general", "button:print"]) {
    assert.ok(names.includes(want), `${want} not reached: ${names.join(", ")}`);
  }
  const panelTextareas = reached.filter((r) => r.tag === "textarea" && r.panel);
  assert.equal(panelTextareas.length, PANEL_COUNT, names.join(", "));
  assert.equal(reached.filter((r) => r.tag === "summary" && r.panel).length, PANEL_COUNT, names.join(", "));
  assert.equal(reached.filter((r) => r.tag === "button" && r.panel).length, PANEL_COUNT, names.join(", "));
  for (const r of reached) {
    assert.equal(r.outline, "solid", `${r.tag}:${r.what} has no visible focus`);
    assert.ok(r.width >= 2, `${r.tag}:${r.what} focus ring ${r.width}px`);
  }
  // Enter on a chip's button removes it.
  await page.getByRole("button", { name: "Retirer Pays de la Loire" }).focus();
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Retirer Pays de la Loire" }).waitFor({ state: "detached" });
  assert.deepEqual(await chipNames(page), ["Loire-Atlantique", "France métropolitaine"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("time to switch territory: snapshot built and nine infographics in the DOM (printed, not asserted)", T, async () => {
  const { page, problems } = await ready();
  const names = await page.evaluate(async () => {
    const core = await import("./pkg/territoire.js");
    await core.default();
    const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
    const hits = v.search("communaute", "epci", 400);
    v.free();
    const step = Math.max(1, Math.floor(hits.length / 12));
    return hits.filter((_, i) => i % step === 0).slice(0, 11).map((h) => h.name);
  });
  assert.ok(names.length >= 10, names.join(" | "));
  const render = [];
  const core = [];
  let panels = 0;
  for (const name of names) {
    await chooseStudy(page, name, name);
    const m = await page.evaluate(() => ({
      render: performance.getEntriesByName("instantane:render").at(-1).duration,
      snapshot: performance.getEntriesByName("instantane:snapshot").at(-1).duration,
      panels: document.querySelectorAll("#panels > section.panel svg").length,
    }));
    render.push(m.render);
    core.push(m.snapshot);
    panels = m.panels;
  }
  // The first switch warms the engine up.
  const median = (xs) => {
    const s = xs.slice(1).sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  };
  console.log(
    `territory switch in headless Chromium over ${render.length - 1} EPCIs (${panels} SVG panels): ` +
      `viewer.snapshot → DOM updated median ${median(render).toFixed(1)} ms ` +
      `(of which viewer.snapshot ${median(core).toFixed(1)} ms; min ${Math.min(...render.slice(1)).toFixed(1)}, max ${Math.max(...render.slice(1)).toFixed(1)})`,
  );
  assert.deepEqual(problems, []);
  await page.close();
});

test("a key figure without a plain value shows its status wording in the infographic, never a zero", T, async (t) => {
  const { page, problems } = await ready();
  // Find, in the real pack, EPCIs whose key figures carry another status.
  const examples = await page.evaluate(async () => {
    const core = await import("./pkg/territoire.js");
    await core.default();
    const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
    const found = {};
    try {
      for (const hit of v.search("communaute", "epci", 2000)) {
        for (const panel of v.snapshot(hit.key, "").panels) {
          for (const k of panel.key_figures) {
            const f = k.figure;
            if (String(f.status).toLowerCase() !== "value" && !found[f.status]) {
              found[f.status] = { key: hit.key, panel: panel.id, text: f.text, label: f.status_label };
            }
          }
        }
        if (Object.keys(found).length >= 3) break;
      }
    } finally {
      v.free();
    }
    return found;
  });
  const statuses = Object.keys(examples);
  if (statuses.length === 0) {
    t.skip("no EPCI key figure with a status other than value in this pack");
    return;
  }
  t.diagnostic(`statuses checked: ${statuses.map((s) => `${s} (${examples[s].key}, ${examples[s].panel})`).join(", ")}`);
  for (const [status, ex] of Object.entries(examples)) {
    await ready(`?territoire=${ex.key}&comparer=`, { page });
    const svg = page.locator(`#panels section.panel[data-panel="${ex.panel}"] .panel-figure svg`);
    await svg.waitFor();
    assert.ok(ex.text && !/^0([,\s]|$)/.test(ex.text), `${status}: «${ex.text}»`);
    const texts = await svg.locator("text").allTextContents();
    assert.ok(
      texts.some((x) => x.includes(ex.text)),
      `${status}: «${ex.text}» not drawn in ${ex.panel} of ${ex.key}`,
    );
  }
  assert.deepEqual(problems, []);
  await page.close();
});

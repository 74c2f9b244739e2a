// The embeddable widget (www/territory-snapshot.js): the demonstration
// partner page with two widgets under a strict CSP, the element's
// attributes, JavaScript API and events, its errors, its PDF export, the
// iframe variant (www/embed.html) and the snippets the viewer offers.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { ROOT, WWW } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 180_000 };
const env = useBrowser({ tmp: "instantane-widget-" });

/** A page that records CSP violations, page errors and console errors. */
async function openPage(path, { context } = {}) {
  const ctx = context ?? (await env.browser.newContext({ acceptDownloads: true }));
  await ctx.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      document.documentElement.dataset.cspViolations =
        `${document.documentElement.dataset.cspViolations ?? ""}${e.violatedDirective} ${e.blockedURI}\n`;
    });
  });
  const page = await ctx.newPage();
  const problems = [];
  page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error" || /Content Security Policy/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  page.on("dialog", (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  await page.goto(env.server.url + path);
  return { page, problems, context: ctx };
}

/** Waits until every widget of the page is ready or failed; their states. */
function widgetStates(page) {
  return page.evaluate(async () => {
    await customElements.whenDefined("territory-snapshot");
    const els = [...document.querySelectorAll("territory-snapshot")];
    const deadline = Date.now() + 30_000;
    const state = (el) => el.shadowRoot?.querySelector(".widget")?.dataset.state;
    while (els.some((el) => state(el) === "loading") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return els.map(state);
  });
}

/** What a widget shows, read from its shadow root (its first « Tableau des
 * données » opened: the widget builds a table when it opens). */
function readWidget(page, selector) {
  return page.evaluate(async (selector) => {
    const el = document.querySelector(selector);
    const root = el.shadowRoot;
    const first = root.querySelector(".panel details.data");
    if (first) {
      first.open = true;
      for (let i = 0; i < 100 && !first.querySelector("table"); i++) await new Promise((r) => setTimeout(r, 10));
    }
    const text = (s) => root.querySelector(s)?.textContent ?? null;
    return {
      state: root.querySelector(".widget").dataset.state,
      title: text(".title"),
      compare: text(".compare"),
      error: root.querySelector(".widget > .error").hidden ? null : text(".widget > .error"),
      panels: [...root.querySelectorAll(".panel")].map((p) => p.dataset.panel),
      svgs: root.querySelectorAll(".panel svg.infographic").length,
      maps: [...root.querySelectorAll(".map-block")].map((m) => m.dataset.map),
      mapPaths: root.querySelectorAll(".map-block svg path").length,
      studyOnMap: root.querySelectorAll(".map-block svg .study").length,
      searchHidden: root.querySelector(".search").hidden,
      firstTableColumns: [...(root.querySelector(".panel table")?.tHead?.rows[0]?.cells ?? [])].map((c) => c.textContent),
      svgText: root.querySelector(".panel svg")?.textContent ?? "",
    };
  }, selector);
}

test("the partner page shows two independent widgets under a strict CSP, with no violation and no global", T, async () => {
  const { page, problems, context } = await openPage("partenaire.html");
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);

  assert.deepEqual(await widgetStates(page), ["ready", "ready"]);
  const first = await readWidget(page, "#first");
  assert.equal(first.title, "Nantes Métropole");
  assert.deepEqual(first.panels, ["revenus", "pauvrete", "prestations"]); // the core's order
  assert.equal(first.svgs, 3);
  assert.equal(first.compare, "Comparé à : Loire-Atlantique, Pays de la Loire, France métropolitaine");
  assert.deepEqual(first.maps, ["pauvrete"]);
  assert.ok(first.mapPaths > 60, `the PdL EPCI map has ${first.mapPaths} paths`);
  assert.ok(first.studyOnMap >= 1, "the study territory is outlined on the map");
  for (const name of ["Nantes Métropole", "Loire-Atlantique", "Pays de la Loire", "France métropolitaine"]) {
    assert.ok(first.firstTableColumns.includes(name), `${name} in ${first.firstTableColumns}`);
  }
  assert.match(first.svgText, /Nantes Métropole/);

  const second = await readWidget(page, "#second");
  assert.equal(second.title, "Communauté d'agglomération Cholet Agglomération");
  assert.deepEqual(second.panels, ["population", "ages", "menages"]);
  assert.equal(second.compare, "Sans territoire de comparaison");
  assert.deepEqual(second.maps, []);
  assert.equal(second.searchHidden, true);
  assert.ok(second.firstTableColumns.includes("Communauté d'agglomération Cholet Agglomération"));
  assert.ok(!second.firstTableColumns.includes("Maine-et-Loire"), `${second.firstTableColumns}`);

  // Theming through custom properties; the partner's own styles stay out.
  const styles = await page.evaluate(() => {
    const read = (id) => {
      const root = document.getElementById(id).shadowRoot;
      const cs = getComputedStyle(root.querySelector(".title"));
      return { color: cs.color, font: getComputedStyle(root.querySelector(".widget")).fontFamily };
    };
    return { first: read("first"), second: read("second") };
  });
  assert.equal(styles.first.color, "rgb(107, 44, 95)");
  assert.match(styles.first.font, /Georgia/);
  assert.equal(styles.second.color, "rgb(20, 83, 45)");
  assert.doesNotMatch(styles.second.font, /Georgia/, "the partner's body font does not leak into the widget");

  // No global variable: the page's window has only what a blank frame has.
  const globals = await page.evaluate(() => {
    const frame = document.createElement("iframe");
    document.body.append(frame);
    const blank = new Set(Object.getOwnPropertyNames(frame.contentWindow));
    frame.remove();
    return Object.getOwnPropertyNames(window).filter((n) => !blank.has(n));
  });
  assert.deepEqual(globals, [], `globals added: ${globals.join(", ")}`);

  // The partner's select drives the first widget through the API; the
  // second one does not move.
  const events = page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = [];
        document.getElementById("second").addEventListener("territorychange", () => seen.push("second"));
        document.getElementById("first").addEventListener("territorychange", (e) => {
          seen.push(`first:${e.detail.code}:${e.detail.switched}`);
          setTimeout(() => resolve(seen), 200);
        });
      }),
  );
  await page.selectOption("#choice", "244400644");
  assert.deepEqual(await events, ["first:244400644:true"]);
  assert.match((await readWidget(page, "#first")).title, /Nazairienne/);
  assert.equal((await readWidget(page, "#second")).title, "Communauté d'agglomération Cholet Agglomération");
  assert.match(await page.locator("#log").textContent(), /Nazairienne/);

  // A search in the widget picks another territory, by keyboard.
  const input = page.locator("#first").locator("input[type=search]");
  await input.fill("Saumur");
  await page.locator("#first").locator(".results button").first().waitFor();
  await input.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /Saumur/.test(document.getElementById("first").shadowRoot.querySelector(".title").textContent));

  assert.equal(await page.evaluate(() => document.documentElement.dataset.cspViolations ?? ""), "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the widget's attributes and API: comparisons, panels, maps, errors named in French", T, async () => {
  const { page, problems, context } = await openPage("partenaire.html");
  await widgetStates(page);

  // setComparisons: none, then the defaults back.
  const none = await page.evaluate(() => document.getElementById("first").setComparisons([]));
  assert.deepEqual(none.comparisons, []);
  assert.equal((await readWidget(page, "#first")).compare, "Sans territoire de comparaison");
  const back = await page.evaluate(() => document.getElementById("first").setComparisons(null));
  assert.deepEqual(
    back.comparisons.map((c) => c.key),
    ["dep:44", "reg:52", "pays:FRM"],
  );
  assert.equal(back.switched, false);
  // Asking again for what is shown still answers.
  const same = await page.evaluate(() => document.getElementById("first").setTerritory("244400404"));
  assert.equal(same.code, "244400404");

  // Panels and maps by attribute.
  await page.evaluate(() => {
    const el = document.getElementById("first");
    el.setAttribute("panels", "1,9");
    el.setAttribute("maps", "pauvrete typologie");
  });
  await page.waitForFunction(() => document.getElementById("first").shadowRoot.querySelectorAll(".map-block").length === 2);
  const w = await readWidget(page, "#first");
  assert.deepEqual(w.panels, ["population", "prestations"]);
  assert.deepEqual(w.maps, ["pauvrete", "typologie"]);

  // Errors: an unknown code, a hostile one, an unknown panel, a missing pack.
  const unknown = await page.evaluate(() =>
    document
      .getElementById("first")
      .setTerritory("99999")
      .then(
        () => "resolved",
        (e) => e.message,
      ),
  );
  assert.match(unknown, /99999/);
  let shown = await readWidget(page, "#first");
  assert.equal(shown.state, "error");
  assert.match(shown.error, /^Instantané impossible : .*99999/);
  const ready = () => page.evaluate(() => document.getElementById("first").ready.then(() => "resolved", (e) => e.message));
  assert.match(await ready(), /99999/, "ready follows the failed draw");

  const payload = `"><img src=x onerror="alert(1)"><script>alert(2)</script>`;
  await page.evaluate((p) => document.getElementById("first").setTerritory(p).catch(() => {}), payload);
  shown = await readWidget(page, "#first");
  assert.ok(shown.error.includes("<img src=x"), `the payload is shown as text: ${shown.error}`);
  assert.equal(await page.evaluate(() => document.getElementById("first").shadowRoot.querySelectorAll("img, script").length), 0);

  await page.evaluate(() => document.getElementById("first").setAttribute("panels", "10"));
  await page.evaluate(() => document.getElementById("first").setTerritory("244400404").catch(() => {}));
  shown = await readWidget(page, "#first");
  assert.match(shown.error, /infographie inconnue « 10 »/);

  await page.evaluate(() => {
    const el = document.getElementById("first");
    el.setAttribute("panels", "pauvrete");
    el.setAttribute("pack", "introuvable.bin");
  });
  await page.waitForFunction(() => document.getElementById("first").shadowRoot.querySelector(".widget").dataset.state === "error");
  shown = await readWidget(page, "#first");
  assert.match(shown.error, /introuvable\.bin est introuvable \(réponse du serveur : 404\)/);
  // …and the second widget never noticed.
  assert.equal((await readWidget(page, "#second")).state, "ready");

  // Back to a good pack: the widget recovers.
  await page.evaluate(() => document.getElementById("first").setAttribute("pack", "pack.bin"));
  await page.waitForFunction(() => document.getElementById("first").shadowRoot.querySelector(".widget").dataset.state === "ready");
  assert.deepEqual((await readWidget(page, "#first")).panels, ["pauvrete"]);
  // …and is ready again: its PDF exports.
  assert.equal(await ready(), "resolved");
  const pages = await page.evaluate(async () => (await document.getElementById("first").exportPdf({ download: false })).pages);
  assert.ok(pages > 1, `${pages} pages`);

  assert.equal(await page.evaluate(() => document.documentElement.dataset.cspViolations ?? ""), "");
  assert.deepEqual(problems.filter((p) => !/404/.test(p)), []);
  await context.close();
});

test("a widget's territory switch swaps its map's outlines in place, as a full redraw draws them", T, async () => {
  const { page, problems, context } = await openPage("partenaire.html");
  await widgetStates(page);
  const mark = () =>
    page.evaluate(() => {
      const root = document.getElementById("first").shadowRoot;
      for (const p of root.querySelectorAll(".map-block svg path[data-id]")) p.__instantaneMark = true;
      root.querySelector(".map-block details").open = true;
    });
  const read = () =>
    page.evaluate(() => {
      const root = document.getElementById("first").shadowRoot;
      const svg = root.querySelector(".map-block svg");
      const groups = [...svg.querySelectorAll("g[data-outlines]")];
      const paths = [...svg.querySelectorAll("path[data-id]")];
      const keys = (s) => [...svg.querySelectorAll(s)].map((e) => e.getAttribute("data-id")).sort();
      return {
        outlines: groups.map((g) => g.outerHTML.replace(/\s(id|aria-labelledby|aria-describedby)="[^"]*"/g, "")),
        index: groups.map((g) => [...svg.children].indexOf(g)),
        paths: paths.length,
        sameNodes: paths.length > 0 && paths.every((p) => p.__instantaneMark === true),
        study: keys(".study"),
        compare: keys(".compare"),
        rows: [...root.querySelectorAll(".map-block tbody tr.study")].map((r) => r.cells[0].textContent),
        open: root.querySelector(".map-block details").open,
      };
    });
  await mark();
  const before = await read();
  assert.equal(before.outlines.length, 1);
  assert.match(before.outlines[0], /Territoires mis en évidence : Nantes Métropole/);
  assert.deepEqual(before.study, ["epci:244400404"]);

  const angers = await page.evaluate(() => document.getElementById("first").setTerritory("244900015"));
  assert.equal(angers.key, "epci:244900015");
  const after = await read();
  assert.ok(after.sameNodes, "the map's territory paths are the same DOM nodes");
  assert.equal(after.paths, before.paths);
  assert.deepEqual(after.study, ["epci:244900015"], "the study mark moved");
  assert.ok(!after.compare.includes("epci:244400404"), JSON.stringify(after.compare));
  assert.equal(after.rows.length, 1);
  assert.match(after.rows[0], /Angers Loire Métropole/, "the table's study row moved");
  assert.equal(after.open, true, "the open table stays open");
  assert.deepEqual(after.index, before.index, "the outlines at the same place");
  assert.match(after.outlines[0], /Territoires mis en évidence : [^",]*Angers Loire Métropole/);

  // A full redraw of the same view (the heading level changes the maps'
  // headings): the same outlines and marks.
  await page.evaluate(() => {
    const el = document.getElementById("first");
    el.setAttribute("heading-level", "4");
    return el.setTerritory("244900015");
  });
  const full = await read();
  assert.ok(!full.sameNodes, "a full redraw makes new nodes");
  assert.deepEqual(after.outlines, full.outlines, "the swapped outlines are those of a full redraw");
  assert.deepEqual([after.index, after.study, after.compare, after.rows], [full.index, full.study, full.compare, full.rows]);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a widget exports its snapshot to PDF, by its button and by exportPdf()", T, async () => {
  const { page, problems, context } = await openPage("partenaire.html");
  await widgetStates(page);
  const result = await page.evaluate(async () => {
    const el = document.getElementById("second");
    const done = new Promise((r) => el.addEventListener("exportdone", (e) => r(e.detail), { once: true }));
    const out = await el.exportPdf({ download: false });
    const detail = await done;
    const head = new Uint8Array(await out.blob.slice(0, 5).arrayBuffer());
    return { filename: out.filename, pages: out.pages, size: out.blob.size, head: String.fromCharCode(...head), detail: detail.filename };
  });
  assert.equal(result.head, "%PDF-");
  assert.match(result.filename, /^instantane-200071678-\d{4}-\d{2}-\d{2}\.pdf$/);
  assert.equal(result.detail, result.filename);
  assert.ok(result.pages >= 10, `${result.pages} pages`);

  // The widget's own button downloads the file; poppler reads it.
  const downloaded = page.waitForEvent("download", { timeout: 120_000 });
  await page.locator("#first").locator("button.button").click();
  const download = await downloaded;
  assert.match(download.suggestedFilename(), /^instantane-244400404-\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = join(env.dir, download.suggestedFilename());
  await download.saveAs(file);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  assert.match(text, /Nantes Métropole/);
  assert.match(text, /Taux de pauvreté/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the iframe variant shows the view of its URL and reports its height", T, async () => {
  const { page, problems, context } = await openPage("embed.html?territoire=200071678&comparer=49&infographies=pauvrete&cartes=");
  assert.deepEqual(await widgetStates(page), ["ready"]);
  const w = await readWidget(page, "#snapshot");
  assert.equal(w.title, "Communauté d'agglomération Cholet Agglomération");
  assert.equal(w.compare, "Comparé à : Maine-et-Loire");
  assert.deepEqual(w.panels, ["pauvrete"]);
  assert.deepEqual(w.maps, []);
  assert.equal(await page.title(), "Communauté d'agglomération Cholet Agglomération — Instantané territorial");
  assert.match(await page.locator("#open").getAttribute("href"), /\?territoire=200071678&comparer=49$/);

  // Framed by a page of the same site: the frame posts its height.
  const height = await page.evaluate(async () => {
    const got = new Promise((r) =>
      window.addEventListener("message", (e) => {
        // The first heights come before the snapshot is drawn.
        if (e.data?.type === "instantane:hauteur" && e.data.height > 1000) r(e.data.height);
      }),
    );
    const frame = document.createElement("iframe");
    frame.title = "Instantané";
    frame.src = "embed.html?territoire=244400404";
    document.body.append(frame);
    return got;
  });
  assert.ok(height > 1000, `height ${height}`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.cspViolations ?? ""), "");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the partner page passes axe-core's checks, shadow roots included", T, async () => {
  // axe applies inline styles while it checks: the CSP is bypassed for it.
  const { page, problems, context } = await openPage("partenaire.html", {
    context: await env.browser.newContext({ bypassCSP: true }),
  });
  await widgetStates(page);
  await page.evaluate(readFileSync(join(ROOT, "node_modules", "axe-core", "axe.min.js"), "utf8"));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(" | ")}`);
  });
  assert.deepEqual(violations, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the TypeScript declarations type-check a partner's use of the API", async () => {
  // tests/types/widget-usage.ts uses every method, property and event of
  // www/territory-snapshot.d.ts; tsc fails on any mismatch.
  const tsc = join(ROOT, "node_modules", ".bin", "tsc");
  const args = ["--noEmit", "--strict", "--target", "es2022", "--module", "esnext", "--moduleResolution", "bundler"];
  args.push("--lib", "es2022,dom", join(ROOT, "tests", "types", "widget-usage.ts"));
  execFileSync(tsc, args, { encoding: "utf8" });
  // …and a wrong use is refused.
  const bad = join(env.dir, "bad.ts");
  const usage = readFileSync(join(ROOT, "tests", "types", "widget-usage.ts"), "utf8");
  writeFileSync(bad, usage.replace('setTerritory("244400404")', "setTerritory(5)").replaceAll("../../www/", `${WWW}/`));
  assert.throws(() => execFileSync(tsc, [...args.slice(0, -3), "--lib", "es2022,dom", bad], { encoding: "utf8", stdio: "pipe" }), (err) => {
    assert.match(String(err.stdout), /TS2345/);
    return true;
  });
});

test("the viewer offers the iframe and element snippets of the current view, and they show it", T, async () => {
  const { page, problems, context } = await openPage("?territoire=244400404&comparer=49");
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  const section = page.locator("#integrer");
  assert.equal(await section.isVisible(), true);
  assert.equal(await section.locator("h2").textContent(), "Intégrer cet instantané");
  const iframe = await page.locator("#embed-iframe").inputValue();
  const element = await page.locator("#embed-element").inputValue();
  const src = /<iframe src="([^"]+)" title="Instantané territorial : Nantes Métropole"/.exec(iframe)?.[1];
  assert.ok(src, iframe);
  assert.equal(src, `${env.server.url}embed.html?territoire=244400404&amp;comparer=49`);
  assert.match(element, /<script type="module" src="[^"]+\/territory-snapshot\.js"><\/script>/);
  assert.match(element, /<territory-snapshot pack="[^"]+\/pack\.bin" territory="244400404" compare="49"><\/territory-snapshot>/);

  // The copy button puts the snippet in the clipboard (or selects it).
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.locator("#integrer button").first().click();
  await page.waitForFunction(() => document.querySelector("#integrer [role=status]").textContent !== "");
  assert.match(await page.locator("#integrer [role=status]").textContent(), /Code iframe copié|sélectionné/);

  // The snippet's URL shows that view.
  const framed = await context.newPage();
  await framed.goto(src.replaceAll("&amp;", "&"));
  assert.deepEqual(await widgetStates(framed), ["ready"]);
  const w = await readWidget(framed, "#snapshot");
  assert.equal(w.title, "Nantes Métropole");
  assert.equal(w.compare, "Comparé à : Maine-et-Loire");
  assert.equal(w.panels.length, 9);

  // It follows the view: no comparison, then an unknown territory hides it.
  await page.goto(`${env.server.url}?territoire=200071678&comparer=`);
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  assert.match(await page.locator("#embed-iframe").inputValue(), /embed\.html\?territoire=200071678&amp;comparer="/);
  await page.goto(`${env.server.url}?territoire=99999`);
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  assert.equal(await section.isVisible(), false);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.cspViolations ?? ""), "");
  assert.deepEqual(problems.filter((p) => !/99999|404/.test(p)), []);
  await context.close();
});

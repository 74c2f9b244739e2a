// Browser tests of the viewer page with the real pack (www/pack.bin, built
// from ../shared/data by `make pack`), in Debian's headless Chromium.
//
//   node --test tests/browser/        (make test runs them)

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { launchBrowser, measureLoad, openViewer, requireBuiltPage, startServer, WWW } from "./lib.mjs";

const NBSP = "\u00a0";
const T = { timeout: 90_000 };

let browser;
let server;

before(async () => {
  requireBuiltPage();
  server = await startServer({ root: WWW, port: 0 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page, checks it became ready, returns it. */
async function ready(path = "") {
  const { page, problems } = await openViewer(browser, server.url + path);
  const state = await page.evaluate(() => document.body.dataset.state);
  if (state !== "ready") {
    const text = await page.locator("#error").textContent();
    assert.fail(`the page did not load: ${text}`);
  }
  return { page, problems };
}

async function type(page, text) {
  const input = page.locator("#q");
  await input.fill("");
  await input.pressSequentially(text, { delay: 10 });
  await page.locator("#results [role=option]").first().waitFor({ timeout: 10_000 });
}

async function optionNames(page) {
  return page.locator("#results [role=option] .option-name").allTextContents();
}

async function columnNames(page) {
  return page.locator("#figures thead th .col-name").allTextContents();
}

/** Text of each figure of one indicator row, by column. */
async function rowTexts(page, indicator) {
  return page.locator(`#figures tr[data-indicator="${indicator}"] td .fig-text`).allTextContents();
}

async function choose(page, query, name) {
  await type(page, query);
  await page.locator("#results [role=option]", { hasText: name }).first().click();
  await page.locator("#fiche-title", { hasText: name }).waitFor();
}

test("the page loads the real pack and shows its build date and sources", T, async () => {
  const { page, problems } = await ready();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "fr");
  assert.match(await page.title(), /territoire/i);
  const footer = await page.locator("#pack-info").textContent();
  assert.match(footer, /construit le \d{1,2} \S+ \d{4}/, footer);
  assert.match(footer, /Insee/, footer);
  assert.equal(await page.locator("#q").isEnabled(), true);
  assert.equal(await page.locator("#error").isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});

test("typing « nantes » lists Nantes Métropole first, with its kind and département", T, async () => {
  const { page, problems } = await ready();
  await type(page, "nantes");
  const names = await optionNames(page);
  assert.equal(names[0], "Nantes Métropole", names.join(" | "));
  const first = await page.locator("#results [role=option]").first().textContent();
  assert.match(first, /Intercommunalité/);
  assert.match(first, /Loire-Atlantique/);
  assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "true");
  assert.deepEqual(problems, []);
  await page.close();
});

test("choosing Nantes Métropole with the keyboard shows its key figures in French", T, async () => {
  const { page, problems } = await ready();
  await type(page, "nantes");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), "option-0");
  assert.equal(await page.locator("#option-0").getAttribute("aria-selected"), "true");
  await page.keyboard.press("Enter");
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.equal(await page.locator("#results").isHidden(), true);
  assert.match(page.url(), /\?territoire=epci:244400404$/);

  const columns = await columnNames(page);
  assert.equal(columns.length, 4, columns.join(" | "));
  assert.equal(columns[0], "Nantes Métropole");
  assert.equal(columns[1], "Loire-Atlantique");
  assert.equal(columns[2], "Pays de la Loire");
  assert.match(columns[3], /^France/);

  const population = await rowTexts(page, "population");
  assert.match(population[0], new RegExp(`^\\d{3}${NBSP}\\d{3}${NBSP}hab\\.$`), population[0]);
  const inhabitants = Number(population[0].replace(/\D/g, ""));
  assert.ok(inhabitants > 600_000 && inhabitants < 800_000, `Nantes Métropole: ${inhabitants} inhabitants`);
  const poverty = await rowTexts(page, "taux_pauvrete");
  assert.match(poverty[0], new RegExp(`^\\d{1,2},\\d${NBSP}%$`), poverty[0]);
  const median = await rowTexts(page, "revenu_median");
  assert.match(median[0], new RegExp(`^\\d{2}${NBSP}\\d{3}${NBSP}€$`), median[0]);
  const unemployment = await rowTexts(page, "taux_chomage");
  assert.match(unemployment[0], new RegExp(`^\\d{1,2},\\d${NBSP}%$`), unemployment[0]);

  // Every cell says something (a value or a status wording) and its year.
  const cells = page.locator("#figures tbody td");
  const n = await cells.count();
  assert.equal(n, 4 * 4);
  for (let i = 0; i < n; i++) {
    const text = (await cells.nth(i).locator(".fig-text").textContent()).trim();
    assert.ok(text !== "" && text !== "0", `cell ${i}: «${text}»`);
    assert.match(await cells.nth(i).locator(".fig-year").textContent(), /\b(19|20)\d\d\b/);
  }

  const sources = await page.locator("#sources li").allTextContents();
  assert.ok(sources.some((s) => s.startsWith("Source : Insee")), sources.join(" | "));
  assert.equal(new Set(sources).size, sources.length, "one line per source");
  assert.deepEqual(problems, []);
  await page.close();
});

test("typing « sable » lists the Pays Sabolien through Sablé-sur-Sarthe; a click shows it", T, async () => {
  const { page, problems } = await ready();
  await type(page, "sable");
  const option = page.locator("#results [role=option]", { hasText: "Pays Sabolien" });
  assert.equal(await option.count(), 1, (await optionNames(page)).join(" | "));
  assert.match(await option.locator(".option-kind").textContent(), /Intercommunalité/);
  assert.match(await option.locator(".option-place").textContent(), /Sarthe/);
  assert.match(await option.locator(".option-via").textContent(), /Sablé-sur-Sarthe/);
  await option.click();
  await page.locator("#fiche-title", { hasText: "Pays Sabolien" }).waitFor();
  const columns = await columnNames(page);
  assert.deepEqual(columns.slice(1, 3), ["Sarthe", "Pays de la Loire"]);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the listbox follows the keyboard: arrows wrap, Escape closes", T, async () => {
  const { page } = await ready();
  await type(page, "loire");
  const count = await page.locator("#results [role=option]").count();
  assert.ok(count >= 2, `${count} results for « loire »`);
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), `option-${count - 1}`);
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), "option-0");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), "option-1");
  assert.equal(await page.locator("[role=option][aria-selected=true]").count(), 1);
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#results").isHidden(), true);
  assert.equal(await page.locator("#q").getAttribute("aria-expanded"), "false");
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), null);
  await page.close();

  // From a fresh page, Tab reaches the skip link, then the search box,
  // with a visible focus ring.
  const fresh = (await ready()).page;
  await fresh.keyboard.press("Tab");
  assert.equal(await fresh.evaluate(() => document.activeElement.className), "skip-link");
  await fresh.keyboard.press("Tab");
  const focus = await fresh.evaluate(() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return { id: el.id, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
  });
  assert.equal(focus.id, "q");
  assert.equal(focus.outline, "solid");
  assert.ok(focus.width >= 2);
  await fresh.close();
});

test("the URL keeps the territory: a reload, a link and the back button restore it", T, async () => {
  const { page, problems } = await ready();
  await choose(page, "nantes", "Nantes Métropole");
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.equal(await page.locator("#q").inputValue(), "Nantes Métropole");
  assert.equal((await columnNames(page))[2], "Pays de la Loire");

  await choose(page, "sable", "Pays Sabolien");
  assert.match(page.url(), /\?territoire=epci:247200090$/);
  await page.goBack();
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  await page.close();

  const region = await ready("?territoire=reg:52");
  await region.page.locator("#fiche-title", { hasText: "Pays de la Loire" }).waitFor();
  assert.deepEqual((await columnNames(region.page)).length, 2);
  await region.page.close();

  const unknown = await ready("?territoire=epci:000000000");
  assert.equal(await unknown.page.locator("#fiche").isHidden(), true);
  assert.match(await unknown.page.locator("#error").textContent(), /inconnu/);
  assert.equal(await unknown.page.locator("#q").isEnabled(), true);
  await unknown.page.close();
  assert.deepEqual(problems, []);
});

test("figures that are not plain values show their wording in a distinct style", T, async (t) => {
  const { page, problems } = await ready();
  // Find, in the real pack, one EPCI per status other than "value".
  const examples = await page.evaluate(async () => {
    const core = await import("./pkg/territoire.js");
    await core.default();
    const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
    const keys = new Set();
    for (const q of ["communaute", "agglomeration", "metropole", "pays", "cc", "ca", "de"]) {
      for (const hit of v.search(q, "epci", 5000)) keys.add(hit.key);
    }
    const found = {};
    for (const key of keys) {
      for (const row of v.key_figures(key, "").rows) {
        const f = row.figures[0];
        if (String(f.status).toLowerCase() !== "value" && !found[f.status]) {
          found[f.status] = { key, indicator: row.indicator, text: f.text, label: f.status_label, value: f.value };
        }
      }
    }
    v.free();
    return found;
  });
  const statuses = Object.keys(examples);
  if (statuses.length === 0) {
    t.skip("no EPCI figure with a status other than value in this pack");
    return;
  }
  t.diagnostic(`statuses checked: ${statuses.join(", ")}`);
  for (const [status, ex] of Object.entries(examples)) {
    await page.goto(`${server.url}?territoire=${ex.key}`);
    await page.waitForFunction(() => document.body.dataset.state === "ready");
    const cell = page.locator(`#figures tr[data-indicator="${ex.indicator}"] td`).first();
    await cell.waitFor();
    const text = (await cell.locator(".fig-text").textContent()).trim();
    assert.equal(text, ex.text, `${status} (${ex.key})`);
    assert.ok(text !== "" && !/^0([,\s]|$)/.test(text), `${status}: «${text}»`);
    assert.match(await cell.getAttribute("class"), /\bfig-status\b/, status);
    assert.equal(await cell.getAttribute("title"), ex.label || "non disponible", status);
    if (/secret|notavailable/i.test(status)) assert.match(text, /secret statistique|non disponible/, status);
    if (/bottomcoded/i.test(status)) assert.match(text, /^≤/, status);
    // The distinct style is really applied.
    const style = await cell.locator(".fig-text").evaluate((el) => getComputedStyle(el).fontStyle);
    assert.equal(style, "italic", status);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("new Viewer() on broken bytes throws an Error naming the problem; the page stays usable", T, async () => {
  const { page, problems } = await ready();
  const results = await page.evaluate(async () => {
    const core = await import("./pkg/territoire.js");
    await core.default();
    const pack = new Uint8Array(await (await fetch("pack.bin")).arrayBuffer());
    const random = (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
      return out;
    };
    const crcTable = Array.from({ length: 256 }, (_, n) => {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      return c >>> 0;
    });
    const crc32 = (bytes) => {
      let c = 0xffffffff;
      for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
      return (c ^ 0xffffffff) >>> 0;
    };
    // A valid prefix (magic, version, CRC, length) over a random payload:
    // gets past the checksum into rkyv's validation.
    const forged = (payload) => {
      const out = new Uint8Array(24 + payload.length);
      out.set(pack.subarray(0, 12));
      const view = new DataView(out.buffer);
      view.setUint32(12, crc32(payload), true);
      view.setBigUint64(16, BigInt(payload.length), true);
      out.set(payload, 24);
      return out;
    };
    const attempt = (bytes) => {
      try {
        const v = new core.Viewer(bytes);
        v.free();
        return { threw: false };
      } catch (e) {
        return { threw: true, name: e?.constructor?.name, isError: e instanceof Error, message: String(e?.message ?? e) };
      }
    };
    const flipped = pack.slice();
    flipped[24 + Math.floor((pack.length - 24) / 2)] ^= 0x01;
    return {
      truncated: attempt(pack.subarray(0, Math.floor(pack.length / 2))),
      random: attempt(random(1 << 20)),
      empty: attempt(new Uint8Array(0)),
      header: attempt(pack.subarray(0, 12)),
      flipped: attempt(flipped),
      forged: attempt(forged(random(64 * 1024))),
      intact: attempt(pack),
    };
  });
  for (const [what, r] of Object.entries(results)) {
    if (what === "intact") continue;
    assert.equal(r.threw, true, `${what}: no error`);
    assert.equal(r.isError, true, `${what}: not an Error`);
    assert.equal(r.name, "Error", `${what}: ${r.name} (a wasm trap would be a RuntimeError)`);
  }
  assert.match(results.truncated.message, /tronqué/, results.truncated.message);
  assert.match(results.random.message, /pas un pack|signature/, results.random.message);
  assert.match(results.empty.message, /trop court/, results.empty.message);
  assert.match(results.header.message, /trop court/, results.header.message);
  assert.match(results.flipped.message, /corrompu/, results.flipped.message);
  assert.match(results.forged.message, /invalide|incohérent/, results.forged.message);
  assert.equal(results.intact.threw, false, results.intact.message);

  // The page's own viewer still answers.
  await type(page, "nantes");
  assert.equal((await optionNames(page))[0], "Nantes Métropole");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a corrupt or missing pack shows an error in the page, not a blank screen", T, async () => {
  const pack = readFileSync(join(WWW, "pack.bin"));
  const corrupt = Buffer.from(pack);
  corrupt[24 + Math.floor((corrupt.length - 24) / 3)] ^= 0x20;
  const cases = [
    { what: "corrupt", path: "/pack.bin", body: corrupt, expect: /corrompu/ },
    { what: "truncated", path: "/pack.bin", body: pack.subarray(0, pack.length - 1000), expect: /tronqué/ },
    { what: "missing", path: "/pack.bin", body: null, expect: /pack\.bin/ },
    { what: "not a pack", path: "/pack.bin", body: Buffer.from("<!doctype html><p>not found</p>"), expect: /pas un pack/ },
    { what: "no wasm", path: "/pkg/territoire_bg.wasm", body: null, expect: /moteur de la visionneuse/ },
    { what: "no wasm glue", path: "/pkg/territoire.js", body: null, expect: /moteur de la visionneuse/ },
  ];
  for (const c of cases) {
    const bad = await startServer({ root: WWW, port: 0, overrides: { [c.path]: c.body } });
    try {
      const { page } = await openViewer(browser, bad.url);
      assert.equal(await page.evaluate(() => document.body.dataset.state), "error", c.what);
      const alert = page.locator("#error[role=alert]");
      assert.equal(await alert.isVisible(), true, c.what);
      const text = await alert.textContent();
      assert.match(text, c.expect, `${c.what}: ${text}`);
      assert.equal(await page.locator("#q").isDisabled(), true);
      await page.close();
    } finally {
      await bad.close();
    }
  }
});

test("pack load time in Chromium (printed, not asserted)", T, async () => {
  const { page } = await ready();
  const r = await measureLoad(page, 7);
  console.log(
    `pack load in headless Chromium (new Viewer: copy + validation, fetch excluded): ` +
      `median ${r.median.toFixed(1)} ms over ${r.runs} runs (min ${r.min.toFixed(1)}, max ${r.max.toFixed(1)}), ` +
      `${(r.bytes / 1048576).toFixed(2)} MiB`,
  );
  assert.ok(r.median >= 0);
  await page.close();
});

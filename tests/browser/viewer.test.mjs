// Browser tests of the viewer page with the real pack (www/pack.bin, built
// from ../shared/data by `make pack`), in Debian's headless Chromium: loading,
// search, the URL, errors. The snapshot itself (panels, comparisons,
// comments, CSV) is in snapshot.test.mjs.
//
//   node --test tests/browser/        (make test runs them)

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { measureLoad, openViewer, startServer, WWW } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 90_000 };

const env = useBrowser();

/** Opens the page, checks it became ready, returns it. */
async function ready(path = "") {
  const { page, problems } = await openViewer(env.browser, env.server.url + path);
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

/** Names of the comparison territories, as their chips show them. */
async function chipNames(page) {
  return page.locator("#chips .chip-name").allTextContents();
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
  // The infographics' font is served by the page itself, whatever the
  // machine has installed, and the CSP lets only the page's own fonts in.
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    const faces = [...document.fonts].filter((f) => f.family.replace(/"/g, "") === "DejaVu Sans");
    await Promise.all(faces.map((f) => f.load().catch(() => null)));
    return {
      faces: faces.map((f) => `${f.weight} ${f.status} ${f.display}`),
      csp: document.querySelector("meta[http-equiv=Content-Security-Policy]").content,
    };
  });
  assert.deepEqual(fonts.faces.sort(), ["400 loaded block", "700 loaded block"], fonts.faces.join(" | "));
  assert.match(fonts.csp, /font-src 'self'/);
  assert.doesNotMatch(fonts.csp, /'unsafe-inline'|'unsafe-eval'/);
  for (const f of ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"]) {
    const res = await page.request.get(`${env.server.url}fonts/${f}`);
    assert.equal(res.status(), 200, f);
    assert.equal(res.headers()["content-type"], "font/ttf", f);
  }
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

test("choosing Nantes Métropole with the keyboard shows its snapshot with the default comparisons", T, async () => {
  const { page, problems } = await ready();
  await type(page, "nantes");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator("#q").getAttribute("aria-activedescendant"), "option-0");
  assert.equal(await page.locator("#option-0").getAttribute("aria-selected"), "true");
  await page.keyboard.press("Enter");
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.equal(await page.locator("#results").isHidden(), true);
  assert.match(page.url(), /\?territoire=epci:244400404$/);
  assert.match(await page.locator("#fiche-meta").textContent(), /Intercommunalité \(métropole\) · Loire-Atlantique · Pays de la Loire/);
  assert.deepEqual(await chipNames(page), ["Loire-Atlantique", "Pays de la Loire", "France métropolitaine"]);
  assert.match(await page.title(), /^Nantes Métropole — /);
  assert.match(await page.locator("#status").textContent(), /Nantes Métropole/);
  assert.equal(await page.locator("#error").isHidden(), true);
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
  assert.deepEqual((await chipNames(page)).slice(0, 2), ["Sarthe", "Pays de la Loire"]);
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
  assert.equal((await chipNames(page))[1], "Pays de la Loire");

  await choose(page, "sable", "Pays Sabolien");
  assert.match(page.url(), /\?territoire=epci:247200090$/);
  await page.goBack();
  await page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  await page.goForward();
  await page.locator("#fiche-title", { hasText: "Pays Sabolien" }).waitFor();
  await page.close();

  // A shared link, by key or by bare code, with or without comparisons.
  const region = await ready("?territoire=reg:52");
  await region.page.locator("#fiche-title", { hasText: "Pays de la Loire" }).waitFor();
  assert.deepEqual(await chipNames(region.page), ["France métropolitaine"]);
  await region.page.close();

  const link = await ready("?territoire=244400404&comparer=49,FRM");
  await link.page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.deepEqual(await chipNames(link.page), ["Maine-et-Loire", "France métropolitaine"]);
  await link.page.close();

  const none = await ready("?territoire=244400404&comparer=");
  await none.page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.deepEqual(await chipNames(none.page), []);
  assert.equal(await none.page.locator("#chips-empty").isVisible(), true);
  await none.page.close();

  // An unknown study: a clear French message, the search still works.
  const unknown = await ready("?territoire=epci:000000000");
  assert.equal(await unknown.page.locator("#fiche").isHidden(), true);
  const text = await unknown.page.locator("#error").textContent();
  assert.match(text, /introuvable/, text);
  assert.match(text, /inconnu : « epci:000000000 »/, text);
  assert.equal(await unknown.page.locator("#q").isEnabled(), true);
  await type(unknown.page, "nantes");
  await unknown.page.keyboard.press("Enter");
  await unknown.page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.equal(await unknown.page.locator("#error").isHidden(), true);
  await unknown.page.close();

  // An unknown comparison is dropped with a warning; the rest is shown.
  const partly = await ready("?territoire=244400404&comparer=49,ZZZ");
  await partly.page.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.deepEqual(await chipNames(partly.page), ["Maine-et-Loire"]);
  assert.match(await partly.page.locator("#warning").textContent(), /inconnu, ignoré : « ZZZ »/);
  await partly.page.close();
  assert.deepEqual(problems, []);
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
      const { page } = await openViewer(env.browser, bad.url);
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

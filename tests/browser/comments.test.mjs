// Comments are never lost, with the real pack in Debian's headless Chromium:
// a failed PDF export (the PDF module cannot be downloaded) leaves them in
// their boxes and in storage; a reload shows them again; a second tab sees
// them and never writes back a stale copy over the other tab's newer text;
// hostile texts (tests/payloads.txt, one per line) are shown literally,
// never run, and survive a reload; typed in the search boxes, they get
// territories or a sentence, never markup.
//
//   node --test tests/browser/comments.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { ROOT } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 180_000 };
const NANTES = "244400404";
const KEY = "epci:244400404";
const PREFIX = "instantane:v1:";
const PAYLOADS_FILE = join(ROOT, "tests", "payloads.txt");

/** Hostile texts: tests/payloads.txt (one per line; `#` starts a comment
 * line, empty lines are skipped, \u{HEX} stands for that character), else
 * a few of the usual ones. */
function payloads() {
  if (existsSync(PAYLOADS_FILE)) {
    const lines = readFileSync(PAYLOADS_FILE, "utf8")
      .split("\n")
      .map((l) => l.replace(/\r$/, ""))
      .filter((l) => l !== "" && !l.startsWith("#"))
      .map((l) => l.replace(/\\u\{([0-9a-fA-F]{1,6})\}/g, (_, hex) => String.fromCodePoint(parseInt(hex, 16))));
    if (lines.length) return { source: "tests/payloads.txt", lines };
  }
  return {
    source: "the built-in list",
    lines: [
      `<script>alert("x")</script>`,
      `<img src=x onerror="alert(1)">`,
      `"><svg onload=alert(1)>`,
      `javascript:alert(1)`,
      `{{constructor.constructor('alert(1)')()}}`,
      `'; DROP TABLE comments; --`,
      `<iframe srcdoc="<script>parent.alert(1)</script>"></iframe>`,
      `Été « à l'œuvre » — 12,8 % ≤ 5 % 🙂 ‮RTL‬ \u0000 fin`,
    ],
  };
}

const env = useBrowser();

/** A fresh context (own storage), no service worker (the routes must see
 * every request), dialogs recorded. */
async function newContext() {
  const context = await env.browser.newContext({ serviceWorkers: "block", acceptDownloads: true });
  const dialogs = [];
  const problems = [];
  context.on("page", (page) => {
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
  });
  return { context, dialogs, problems };
}

async function open(context, path = `?territoire=${NANTES}`) {
  const page = await context.newPage();
  await page.goto(env.server.url + path);
  await snapshotShown(page);
  return page;
}

async function snapshotShown(page) {
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout: 30_000 });
  if ((await page.evaluate(() => document.body.dataset.state)) !== "ready") assert.fail(await page.locator("#error").textContent());
  await page.locator("#panels section.panel textarea").first().waitFor();
}

/** Types `text` in the comment box `id` ("general" or a panel id) and
 * leaves it (the blur saves). */
async function writeComment(page, id, text) {
  const box = page.locator(`textarea[data-comment-id="${id}"]`);
  await box.fill(text);
  await box.blur();
}

const stored = (page, id) => page.evaluate((k) => localStorage.getItem(k), `${PREFIX}${KEY}:${id}`);
const shown = (page, id) => page.locator(`textarea[data-comment-id="${id}"]`).inputValue();

test("a failed PDF export keeps the comments in their boxes and in storage", T, async () => {
  const { context, dialogs, problems } = await newContext();
  // The PDF module cannot be downloaded.
  await context.route("**/pdf/*.wasm", (route) => route.abort());
  const page = await open(context);
  await writeComment(page, "general", "Commentaire général à garder");
  const panel = await page.locator("#panels section.panel").first().getAttribute("data-panel");
  // Typed, not left: the export itself must save it.
  await page.locator(`textarea[data-comment-id="${panel}"]`).fill("Commentaire en cours de frappe");
  await page.locator("#export-pdf").click();
  await page.waitForFunction(() => document.querySelector("#export-pdf").dataset.pdfState === "error", null, { timeout: 60_000 });
  const error = await page.locator("#pdf-error").textContent();
  assert.match(error, /Export PDF impossible/, error);
  assert.match(error, /commentaires sont conservés/, error);
  assert.equal(await shown(page, "general"), "Commentaire général à garder");
  assert.equal(await shown(page, panel), "Commentaire en cours de frappe");
  assert.equal(await stored(page, "general"), "Commentaire général à garder");
  assert.equal(await stored(page, panel), "Commentaire en cours de frappe");

  // A reload shows them again.
  await page.reload();
  await snapshotShown(page);
  assert.equal(await shown(page, "general"), "Commentaire général à garder");
  assert.equal(await shown(page, panel), "Commentaire en cours de frappe");
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a second tab sees the comments and never writes back a stale copy", T, async () => {
  const { context, dialogs, problems } = await newContext();
  const a = await open(context);
  await writeComment(a, "general", "Premier texte, onglet A");
  const b = await open(context);
  assert.equal(await shown(b, "general"), "Premier texte, onglet A", "a new tab reads the saved comment");

  // B changes the general comment: A, open meanwhile, shows B's text.
  await writeComment(b, "general", "Texte plus récent, onglet B");
  await a.waitForFunction(() => document.getElementById("comment-general").value === "Texte plus récent, onglet B", null, { timeout: 5_000 });
  assert.match(await a.locator(".general-comment .comment-print").textContent(), /onglet B/, "the printed copy follows");

  // A saves an unrelated comment, then leaves the territory (which saves
  // what is pending) and comes back: B's newer general comment stays.
  const [first, second] = await a.locator("#panels section.panel").evaluateAll((els) => els.slice(0, 2).map((e) => e.dataset.panel));
  await writeComment(a, first, "Panneau écrit dans A");
  await a.evaluate(() => {
    history.pushState(null, "", "?territoire=49");
    dispatchEvent(new PopStateEvent("popstate"));
    history.back();
  });
  await a.waitForFunction(() => new URLSearchParams(location.search).get("territoire") === "244400404");
  await a.locator("#fiche-title", { hasText: "Nantes Métropole" }).waitFor();
  assert.equal(await stored(a, "general"), "Texte plus récent, onglet B");
  assert.equal(await shown(a, "general"), "Texte plus récent, onglet B");
  await b.waitForFunction((id) => document.querySelector(`textarea[data-comment-id="${id}"]`).value === "Panneau écrit dans A", first, { timeout: 5_000 });

  // Both write the same comment: the last write wins, in both tabs.
  await a.locator(`textarea[data-comment-id="${second}"]`).fill("A écrit d'abord");
  await writeComment(b, second, "B écrit ensuite");
  await a.locator(`textarea[data-comment-id="${second}"]`).blur(); // A's save comes last
  assert.equal(await stored(a, second), "A écrit d'abord");
  await b.waitForFunction((id) => document.querySelector(`textarea[data-comment-id="${id}"]`).value === "A écrit d'abord", second, { timeout: 5_000 });

  // A focused box follows too, without losing its caret.
  await b.locator(`textarea[data-comment-id="${first}"]`).focus();
  await writeComment(a, first, "Panneau réécrit dans A");
  await b.waitForFunction((id) => document.querySelector(`textarea[data-comment-id="${id}"]`).value === "Panneau réécrit dans A", first, { timeout: 5_000 });
  await b.keyboard.type(" + B");
  await b.locator(`textarea[data-comment-id="${first}"]`).blur();
  assert.equal(await stored(b, first), "Panneau réécrit dans A + B", "B's typing goes after A's text");

  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("hostile comments are shown literally, never run, and survive a reload", T, async () => {
  const { source, lines } = payloads();
  const { context, dialogs, problems } = await newContext();
  const page = await open(context);
  const ids = await page.locator("textarea[data-comment-id]").evaluateAll((els) => els.map((e) => e.dataset.commentId));
  const census = () =>
    page.evaluate(() => ({
      elements: document.getElementsByTagName("*").length,
      scripts: [...document.scripts].map((s) => s.src),
      frames: document.querySelectorAll("iframe, object, embed, frame").length,
      handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
      marker: typeof window.__pwned,
    }));
  const clean = await census();
  let checked = 0;
  for (let start = 0; start < lines.length; start += ids.length) {
    const batch = lines.slice(start, start + ids.length);
    // Textareas turn a lone CR into LF; nothing else changes.
    const expected = batch.map((t) => t.replace(/\r\n?/g, "\n"));
    for (const [i, text] of batch.entries()) await writeComment(page, ids[i], text);
    for (const [i, text] of expected.entries()) {
      assert.equal(await shown(page, ids[i]), text, `shown: ${JSON.stringify(text)}`);
      assert.equal(await stored(page, ids[i]), text, `stored: ${JSON.stringify(text)}`);
      const printed = await page.locator(`.comment:has(> textarea[data-comment-id="${ids[i]}"]) .comment-print`).textContent();
      assert.equal(printed, text, `printed copy: ${JSON.stringify(text)}`);
    }
    assert.deepEqual(await census(), clean, "a comment added elements, scripts or handlers to the page");
    await page.reload();
    await snapshotShown(page);
    for (const [i, text] of expected.entries()) {
      assert.equal(await shown(page, ids[i]), text, `after reload: ${JSON.stringify(text)}`);
    }
    assert.deepEqual(await census(), clean, "after reload: the page changed");
    checked += batch.length;
  }
  console.log(`# ${checked} hostile comments from ${source}: shown literally, never run`);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("hostile search queries are answered in words, never run", T, async () => {
  const { source, lines } = payloads();
  const { context, dialogs, problems } = await newContext();
  const page = await open(context);
  const census = () =>
    page.evaluate(() => ({
      scripts: [...document.scripts].map((s) => s.src),
      frames: document.querySelectorAll("iframe, object, embed, frame").length,
      handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
    }));
  const clean = await census();
  for (const [input, status] of [
    ["#q", "#status"],
    ["#cq", "#compare-status"],
  ]) {
    for (const text of lines) {
      await page.locator(input).fill(text);
      const { value, said, options } = await page.evaluate(
        ([input, status]) => ({
          value: document.querySelector(input).value,
          said: document.querySelector(status).textContent,
          options: [...document.querySelectorAll(`#${document.querySelector(input).getAttribute("aria-controls")} [role=option] .option-name`)].map((o) => o.textContent),
        }),
        [input, status],
      );
      // Either territories of the pack, or a sentence quoting the query as typed.
      if (options.length === 0 && value.trim()) {
        assert.ok(said.includes(value.trim()) || /maximum|impossible/.test(said), `${input} ${JSON.stringify(text)}: «${said}»`);
      }
      assert.ok(options.every((o) => o.trim() && !/[<>]/.test(o)), `${input}: options ${options.join(" | ")}`);
      await page.keyboard.press("Escape");
    }
  }
  assert.deepEqual(await census(), clean, "a query added elements, scripts or handlers to the page");
  console.log(`# ${lines.length} hostile queries from ${source} in both search boxes: answered in words`);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(problems, []);
  await context.close();
});

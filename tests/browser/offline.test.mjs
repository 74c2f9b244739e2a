// Offline use after one visit: the service worker (www/sw.js) keeps the
// page, the core, the pack, the fonts and the PDF module; with the network
// cut, a reload shows the snapshot and « Exporter en PDF » still writes a
// real PDF.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

import { exportPdf, waitForAsync } from "./lib.mjs";
import { useBrowser } from "./setup.mjs";

const T = { timeout: 180_000 };
const env = useBrowser({ tmp: "instantane-offline-" });

test("after one visit, a reload and a PDF export work with the network cut", T, async () => {
  const context = await env.browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${env.server.url}?territoire=244400404`);
  await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 30_000 });
  // Wait until the service worker controls the page and has cached
  // everything (install caches all or nothing; four files stand for it).
  await waitForAsync(
    page,
    async () => {
      if (!navigator.serviceWorker?.controller) return false;
      const cache = await caches.open("instantane-v1");
      const keys = (await cache.keys()).map((r) => new URL(r.url).pathname);
      return ["/pack.bin", "/pkg/territoire_bg.wasm", "/pdf/territoire_pdf_bg.wasm", "/fonts/DejaVuSans.ttf"].every((p) =>
        keys.includes(p),
      );
    },
    { what: "the service worker to control the page with its cache filled", timeout: 60_000 },
  );

  await context.setOffline(true);
  // The network is really cut: a fetch outside the cache fails.
  const online = await page.evaluate(() =>
    fetch("/not-cached-" + Math.random(), { cache: "no-store" }).then(
      () => true,
      () => false,
    ),
  );
  assert.equal(online, false, "the page can still reach the network");

  await page.reload();
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), "ready");
  assert.equal(await page.locator("#panels svg.infographic").count(), 9, "nine infographics offline");

  const { download, name } = await exportPdf(page);
  assert.match(name, /^instantane-244400404-\d{4}-\d{2}-\d{2}\.pdf$/);
  const file = join(env.dir, name);
  await download.saveAs(file);
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  assert.match(info, /Title:\s+.*Nantes Métropole/);
  assert.ok(Number(/Pages:\s+(\d+)/.exec(info)[1]) >= 12, info);
  assert.deepEqual(errors, []);
  await context.close();
});

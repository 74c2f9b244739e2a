// The usual set-up of a browser test file, in one call:
//
//   const env = useBrowser({ tmp: "instantane-pdf-" });
//   test("…", async () => { const page = await env.browser.newPage(); await page.goto(env.server.url); … });
//
// node:test hooks start a server on www/ and headless Chromium before the
// file's tests (and make a temporary folder when `tmp` names its prefix),
// and close them after. (Apart from lib.mjs, which `make bench` imports
// too, because this one imports node:test.)

import { after, before } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { launchBrowser, requireBuiltPage, startServer, WWW } from "./lib.mjs";

/** Returns the object the hooks fill: { server, browser, dir }. */
export function useBrowser({ tmp = null } = {}) {
  const env = { server: null, browser: null, dir: null };
  before(async () => {
    requireBuiltPage();
    env.server = await startServer({ root: WWW, port: 0 });
    env.browser = await launchBrowser();
    if (tmp) env.dir = mkdtempSync(join(tmpdir(), tmp));
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
    if (env.dir) rmSync(env.dir, { recursive: true, force: true });
  });
  return env;
}

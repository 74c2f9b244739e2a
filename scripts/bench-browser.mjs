// Load time of the pack in headless Chromium: median of `new Viewer(bytes)`
// (copy into wasm memory + validation), the fetch excluded. Same code path
// as the browser tests (tests/browser/lib.mjs).
//
//   node scripts/bench-browser.mjs [runs]      prints the median in ms

import { launchBrowser, measureLoad, openViewer, requireBuiltPage, startServer, WWW } from "../tests/browser/lib.mjs";

const runs = Number(process.argv[2] ?? 9);
requireBuiltPage();
const server = await startServer({ root: WWW, port: 0 });
const browser = await launchBrowser();
try {
  const { page } = await openViewer(browser, server.url);
  const r = await measureLoad(page, runs);
  console.log(r.median.toFixed(1));
} finally {
  await browser.close();
  await server.close();
}

// The measuring harness both bench pages share (wasm.html and js.html), so
// both stacks are timed the same way: each timed operation is synchronous
// work plus a forced layout (document.body.offsetHeight) measured with
// performance.now() inside the page; the PDF export is timed from its
// call to the download. The runner (scripts/bench-browser.mjs) calls
// window.bench.* and reads window.benchReady.

export function forceLayout() {
  return document.body.offsetHeight;
}

/** Resolves after `n` rendered frames. */
function frames(n) {
  return new Promise((resolve) => {
    const next = (left) => (left ? requestAnimationFrame(() => next(left - 1)) : resolve());
    next(n);
  });
}

function timeSync(fn) {
  const t0 = performance.now();
  fn();
  forceLayout();
  return performance.now() - t0;
}

/** Puts `svg` in `box` at its proportions, as the viewer page does for an
 * infographic (www/app.js): a box not laid out yet has its final height. */
export function sized(box, svg) {
  const v = svg?.viewBox?.baseVal;
  box.style.aspectRatio = v?.width > 0 && v.height > 0 ? `${v.width} / ${v.height}` : "";
  box.replaceChildren(svg);
}

/** Outlines `key` on the map drawn in `root` (and draws it last, on top). */
export function highlight(root, key) {
  for (const old of root.querySelectorAll(".highlight")) old.classList.remove("highlight");
  const path = root.querySelector(`[data-id="${CSS.escape(key)}"]`);
  if (path) {
    path.classList.add("highlight");
    path.parentNode.appendChild(path);
  }
}

/**
 * `impl`: { start(key) → Promise (cold start: load, nine infographics,
 * map, highlight), switchTo(key) (sync), drawMap() (sync),
 * snapshotOnly(key), mapOnly() (the same work without the DOM),
 * exportPdf() → Promise<{ bytes, pages }> }.
 */
export async function run(impl) {
  const key = new URLSearchParams(location.search).get("territoire") || "epci:244400404";
  try {
    await impl.start(key);
    forceLayout();
    const coldMs = performance.now(); // since navigation start
    window.bench = {
      // `allLaidOut`: every panel laid out in the timed layout, on screen
      // or not (else, as on the viewer page, the off-screen ones wait
      // until they come near the screen: content-visibility, bench.css).
      //
      // Which panels are near the screen is only worked out when the
      // browser renders a frame (content-visibility: auto), not by a
      // forced layout: after the class changes, two frames go by before
      // the timing, else the row would time whatever the last frame had
      // decided (after an all-laid-out run, no panel laid out at all).
      async switches(keys, { allLaidOut = false } = {}) {
        document.documentElement.classList.toggle("all-laid-out", allLaidOut);
        impl.switchTo(keys[keys.length - 1]); // warm-up, not timed
        forceLayout();
        await frames(2);
        return keys.map((k) => timeSync(() => impl.switchTo(k)));
      },
      choropleths(n) {
        timeSync(() => impl.drawMap()); // warm-up
        return Array.from({ length: n }, () => timeSync(() => impl.drawMap()));
      },
      // Only the work before the DOM (wasm: the core's call returning the
      // SVG strings; JS: computing the panels and building their detached
      // SVG elements, computing the map's paths and fills), to see where a
      // switch or a map spends its time.
      parts(keys, n) {
        const time = (fn) => {
          const t0 = performance.now();
          fn();
          return performance.now() - t0;
        };
        impl.snapshotOnly(keys[0]);
        const snapshot = keys.map((k) => time(() => impl.snapshotOnly(k)));
        impl.mapOnly();
        const map = Array.from({ length: n }, () => time(() => impl.mapOnly()));
        return { snapshot, map };
      },
      async pdfs(n) {
        const times = [];
        let last = null;
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          last = await impl.exportPdf();
          times.push(performance.now() - t0);
        }
        return { times, bytes: last.bytes, pages: last.pages };
      },
    };
    window.benchReady = { coldMs };
  } catch (err) {
    window.benchReady = { error: String(err?.stack ?? err) };
  }
}

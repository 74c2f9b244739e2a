// Times the core's two interactive calls in headless Chromium, in the page
// (the same wasm module and pack as the viewer), median of N runs after one
// warm-up run each:
//   - viewer.snapshot(code) for an EPCI (Nantes Métropole, default
//     comparisons), a département and a région: the nine infographics as
//     SVG strings + their data, converted to JS objects;
//   - viewer.map(request) for the France métropolitaine EPCI choropleth as
//     the page asks for it (www/maps.js: width 960, height = width for
//     France, Nantes highlighted), and a re-colour (other indicator) and a
//     highlight change on the same view;
// and the size of the strings returned. Numbers are printed, not asserted.
//
//   node bench/core-timings.mjs [runs]        (default 21)
//
// Expects the page built (make wasm pack www/pack.bin). The native
// counterpart: cargo run --release --example core_bench (make bench prints it)

import { launchBrowser, openViewer, requireBuiltPage, startServer, WWW } from "../tests/browser/lib.mjs";

const runs = Number(process.argv[2] ?? 21);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("core-timings: the number of runs must be a positive integer");
  process.exit(2);
}

const SNAPSHOTS = [
  ["EPCI Nantes Métropole (244400404)", "epci:244400404"],
  ["département Loire-Atlantique (44)", "dep:44"],
  ["région Pays de la Loire (52)", "reg:52"],
];

const choropleth = (indicator) => ({
  kind: "choropleth",
  indicator,
  year: null,
  method: { method: "quantiles" },
  classes: 5,
  palette: null,
  circles: false,
});
const MAPS = [
  ["France EPCI choropleth (taux_pauvrete)", { view: "france_epci", layer: choropleth("taux_pauvrete"), highlight: ["epci:244400404"], width: 960, height: 960 }],
  ["  same view, other indicator (revenu_median)", { view: "france_epci", layer: choropleth("revenu_median"), highlight: ["epci:244400404"], width: 960, height: 960 }],
  ["  same view, other highlight (Angers)", { view: "france_epci", layer: choropleth("taux_pauvrete"), highlight: ["epci:244900015"], width: 960, height: 960 }],
  // A width never drawn just before: the viewer's geometry cache (three
  // views) cannot help, as on a first draw of the view.
  ["  same view, geometry not cached (width varies)", { view: "france_epci", layer: choropleth("taux_pauvrete"), highlight: ["epci:244400404"], width: "cold", height: 960 }],
  ["PdL EPCI choropleth (default map)", { view: "pdl_epci", layer: choropleth("taux_pauvrete"), highlight: ["epci:244400404"], width: 900, height: 720 }],
];

requireBuiltPage();
const server = await startServer({ root: WWW, port: 0 });
const browser = await launchBrowser();
try {
  const { page } = await openViewer(browser, server.url);
  const result = await page.evaluate(
    async ({ runs, snapshots, maps }) => {
      const core = await import("./pkg/territoire.js");
      await core.default();
      const v = new core.Viewer(new Uint8Array(await (await fetch("pack.bin")).arrayBuffer()));
      const stats = (times) => {
        const s = [...times].sort((a, b) => a - b);
        return { median: s[Math.floor(s.length / 2)], min: s[0], max: s[s.length - 1] };
      };
      // Interleaved so that a burst of load on the shared machine spreads
      // over every measure rather than ruining one.
      const cases = [
        ...snapshots.map(([label, code]) => ({ label, kind: "snapshot", run: () => v.snapshot(code, undefined) })),
        ...maps.map(([label, req]) => {
          let n = 0;
          const next = () => (req.width === "cold" ? { ...req, width: 900 + (n++ % 8) * 8 } : req);
          return { label, kind: "map", run: () => v.map(next()) };
        }),
      ];
      const times = cases.map(() => []);
      const sizes = [];
      for (const [i, c] of cases.entries()) {
        const r = c.run(); // warm-up
        if (c.kind === "snapshot") {
          sizes[i] = { svg: r.panels.reduce((n, p) => n + p.svg.length, 0), strings: JSON.stringify(r).length, extra: `${r.panels.length} panels` };
        } else {
          sizes[i] = { svg: r.svg.length, strings: JSON.stringify(r).length, extra: `${r.features.length} features` };
        }
      }
      for (let k = 0; k < runs; k++) {
        for (const [i, c] of cases.entries()) {
          const t0 = performance.now();
          c.run();
          times[i].push(performance.now() - t0);
        }
      }
      v.free();
      return cases.map((c, i) => ({ label: c.label, kind: c.kind, ...stats(times[i]), ...sizes[i] }));
    },
    { runs, snapshots: SNAPSHOTS, maps: MAPS },
  );
  const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(`core timings in headless Chromium, median of ${runs} (min–max), ms; sizes of the strings returned (JSON of the whole result)`);
  for (const r of result) {
    const call = r.kind === "snapshot" ? "viewer.snapshot" : "viewer.map";
    console.log(
      `${call.padEnd(16)} ${r.label.padEnd(46)} ${r.median.toFixed(2).padStart(7)}  (${r.min.toFixed(2)}–${r.max.toFixed(2)})  ` +
        `SVG ${kib(r.svg)}, JSON ${kib(r.strings)}, ${r.extra}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}

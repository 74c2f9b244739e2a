// The four benchmarked operations with the viewer's own modules: the core
// (www/pkg/territoire.js: Viewer over the pack), its snapshot SVGs and its
// map SVG put in the DOM as the page does (www/svg-import.js), and the PDF
// export through the page's own code (www/pdf-export.js: its worker loads
// the PDF module and the pack, lays the document out and writes the PDF;
// then the download).

import init, { Viewer } from "/www/pkg/territoire.js";
import { createPdfExport, today } from "/www/pdf-export.js";
import { aspectRatio, importSvg, infographicSvg, outlinesGroup } from "/www/svg-import.js";
import { run, sized } from "/bench/common.js";

const MAP = {
  view: "france_epci",
  layer: { kind: "choropleth", indicator: "taux_pauvrete", year: null, method: { method: "quantiles" }, classes: 5, palette: null, circles: false },
  highlight: [],
  width: 800,
  height: 800,
};

let viewer = null;
let study = null;
const panels = [];
// The keys of the infographics shown, panel by panel (viewer.infographics).
const shown = [];
const $ = (id) => document.getElementById(id);

function showSnapshot(key) {
  // As the page: tables when opened; each infographic as a patch of the
  // one shown, or whole (parsed inert and cleaned: www/svg-import.js).
  const snap = viewer.infographics(key, undefined, shown.join(","));
  snap.panels.forEach((p, i) => {
    const shownSvg = panels[i].firstElementChild;
    const svg = infographicSvg(p, shownSvg, `p${i}-`, viewer);
    if (svg === shownSvg) panels[i].style.aspectRatio = aspectRatio(svg);
    else sized(panels[i], svg);
    shown[i] = p.key;
  });
  $("title").textContent = snap.study.name;
  study = key;
  outline(key);
}

let outlines = 0;

/** As the page moves the highlight (www/maps.js swapHighlight): the core
 * writes the outlines group alone, which replaces the map's. */
function outline(key) {
  const doc = importSvg(viewer.map_outlines({ ...MAP, highlight: [key] }), `map-o${++outlines}-`);
  outlinesGroup($("map").firstElementChild).replaceWith(outlinesGroup(doc));
}

function drawMap() {
  const map = viewer.map({ ...MAP, highlight: study ? [study] : [] });
  $("map").replaceChildren(importSvg(map.svg, "map-"));
}

let pdf = null;

run({
  async start(key) {
    const [, bytes] = await Promise.all([init(), fetch("pack.bin").then((r) => r.arrayBuffer())]);
    viewer = new Viewer(new Uint8Array(bytes));
    for (let i = 0; i < 9; i++) panels.push($("panels").appendChild(document.createElement("div")));
    drawMap();
    showSnapshot(key);
    pdf = createPdfExport({
      button: $("export-pdf"),
      status: $("pdf-status"),
      error: $("pdf-error"),
      prepare: () => {
        const date = today();
        // The maps section set to the France EPCI poverty choropleth, the
        // map the JavaScript stack puts in its PDF (the worker adds the
        // poverty-rate and typology maps of the Pays de la Loire, as on
        // the page). The pack: www/pack.bin, the page's default.
        return { fileCode: study.split(":").pop(), date, request: { code: study, maps: [MAP], date } };
      },
      messageOf: (err) => (err instanceof Error ? err.message : String(err)),
    });
  },
  switchTo: showSnapshot,
  drawMap,
  snapshotOnly: (key) => viewer.infographics(key, undefined, shown.join(",")),
  mapOnly: () => viewer.map({ ...MAP, highlight: study ? [study] : [] }),
  async exportPdf() {
    await pdf.run();
    const b = $("export-pdf");
    if (b.dataset.pdfState !== "done") throw new Error(`export PDF : ${$("pdf-error").textContent}`);
    return { bytes: Number(b.dataset.pdfBytes), pages: Number(b.dataset.pdfPages) };
  },
});

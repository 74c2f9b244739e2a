// The four benchmarked operations with the JavaScript stack: the exported
// data (build/bench-data/), the nine panels computed in JS (panels.js) and
// drawn with d3-scale (charts.js), the France EPCI choropleth with d3-geo
// (map.js), the PDF with jsPDF + svg2pdf.js (pdf.js).

import { highlight, run, sized } from "../common.js";
import { loadData } from "./data.js";
import { drawPanel } from "./charts.js";
import { choropleth, drawChoropleth } from "./map.js";
import { exportPdf } from "./pdf.js";
import { snapshot } from "./panels.js";

let data = null;
let snap = null;
let study = null;
let mapSvg = null;
const panels = [];
const $ = (id) => document.getElementById(id);

function showSnapshot(key) {
  snap = snapshot(data, key);
  const series = [snap.study, ...snap.comparisons];
  snap.panels.forEach((p, i) => {
    sized(panels[i], drawPanel(p, series));
  });
  $("title").textContent = snap.study.name;
  study = key;
  highlight($("map"), key);
}

function drawMap() {
  mapSvg = drawChoropleth(data, "taux_pauvrete", 800, 800);
  $("map").replaceChildren(mapSvg);
  if (study) highlight($("map"), study);
}

run({
  async start(key) {
    data = await loadData("../build/bench-data/");
    for (let i = 0; i < 9; i++) panels.push($("panels").appendChild(document.createElement("div")));
    drawMap();
    showSnapshot(key);
  },
  switchTo: showSnapshot,
  drawMap,
  snapshotOnly(key) {
    const s = snapshot(data, key);
    const series = [s.study, ...s.comparisons];
    return s.panels.map((p) => drawPanel(p, series));
  },
  mapOnly: () => choropleth(data, "taux_pauvrete", 800, 800),
  exportPdf() {
    const ind = data.indicators.get("taux_pauvrete");
    const source = `Source : ${ind.series[ind.series.length - 1].source}`;
    const d = new Date();
    const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    return exportPdf(data, snap, panels.map((p) => p.firstChild), mapSvg, [source], date);
  },
});

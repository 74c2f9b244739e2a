// The France EPCI choropleth of the poverty rate with d3-geo and d3-scale,
// as d3's documentation draws a map: a conic conformal projection set up
// for France (standard parallels 44° and 49°, central meridian 3° E, as
// Lambert-93) fitted to the drawing with fitSize, geoPath for each
// feature, scaleQuantile over the values into five ColorBrewer classes;
// secret, ≤ 5 % and missing values get legend entries of their own.

import { el, NS } from "./charts.js";
import { hasValue } from "./data.js";

const d3 = globalThis.d3;
const YLORRD5 = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]; // ColorBrewer YlOrRd, 5 classes
const SPECIAL = { secret: ["#969696", "secret statistique"], bottom_coded: ["#fff7ec", "≤ 5 %"], not_available: ["#ffffff", "non disponible"] };
const nf1 = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const LEGEND_W = 190;
const TOP = 48;

/**
 * The map's content before the DOM: each feature's path data (geoPath),
 * fill and key, the legend counts and bounds.
 */
export function choropleth(data, indicator = "taux_pauvrete", width = 800, height = 800) {
  const ind = data.indicators.get(indicator);
  const series = ind.series[ind.series.length - 1];
  const features = data.geojson.features;
  const figures = features.map((f) => data.figureOf(ind, series, data.index.get(f.properties.key)));
  const values = figures.filter((f) => f.status === "value" && f.value !== null).map((f) => f.value);
  const color = d3.scaleQuantile().domain(values).range(YLORRD5);
  const projection = d3
    .geoConicConformal()
    .parallels([44, 49])
    .rotate([-3, 0])
    .fitSize([width - LEGEND_W - 32, height - TOP - 40], data.geojson);
  const path = d3.geoPath(projection);
  const counts = new Map();
  const paths = features.map((f, i) => {
    const fig = figures[i];
    let fill;
    let entry;
    if (fig.status === "value" && fig.value !== null) {
      fill = color(fig.value);
      entry = fill;
    } else {
      const special = SPECIAL[fig.status] ?? (hasValue(fig) ? [color(fig.value)] : SPECIAL.not_available);
      fill = special[0];
      entry = fig.status;
    }
    counts.set(entry, (counts.get(entry) ?? 0) + 1);
    return { d: path(f), fill, key: f.properties.key };
  });
  const bounds = [d3.min(values), ...color.quantiles(), d3.max(values)];
  return { ind, series, paths, counts, bounds };
}

/** Draws the map as an <svg> element of `width` × `height` px. */
export function drawChoropleth(data, indicator = "taux_pauvrete", width = 800, height = 800) {
  const { ind, series, paths, counts, bounds } = choropleth(data, indicator, width, height);
  const legendW = LEGEND_W;
  const top = TOP;
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("xmlns", NS);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("font-family", "DejaVu Sans, sans-serif");
  el(svg, "rect", { width, height, fill: "#ffffff" });
  el(svg, "text", { x: 16, y: 30, "font-size": 17, "font-weight": "bold", fill: "#222222" }, `${ind.label} ${series.year} par intercommunalité`);
  const g = el(svg, "g", { transform: `translate(16,${top})`, stroke: "#ffffff", "stroke-width": 0.3, "stroke-linejoin": "round" });
  // data-id as the core's map has it (tooltips, clicks and the highlight
  // find the territory by it; no <title> per path, the core draws none).
  for (const p of paths) el(g, "path", { d: p.d, fill: p.fill, "data-id": p.key });

  // Legend: the quantile classes, then the special entries.
  const lx = width - legendW;
  let ly = top + 10;
  el(svg, "text", { x: lx, y: ly, "font-size": 11, "font-weight": "bold", fill: "#222222" }, `${ind.label} (%)`);
  YLORRD5.forEach((c, i) => {
    ly += 20;
    el(svg, "rect", { x: lx, y: ly - 11, width: 16, height: 12, fill: c, stroke: "#999999", "stroke-width": 0.5 });
    el(svg, "text", { x: lx + 22, y: ly, "font-size": 10, fill: "#222222" }, `de ${nf1.format(bounds[i])} à ${nf1.format(bounds[i + 1])} % (${counts.get(c) ?? 0})`);
  });
  for (const [status, [c, label]] of Object.entries(SPECIAL)) {
    if (!counts.get(status)) continue;
    ly += 20;
    el(svg, "rect", { x: lx, y: ly - 11, width: 16, height: 12, fill: c, stroke: "#999999", "stroke-width": 0.5 });
    el(svg, "text", { x: lx + 22, y: ly, "font-size": 10, fill: "#222222" }, `${label} (${counts.get(status)})`);
  }
  el(svg, "text", { x: 16, y: height - 14, "font-size": 9, fill: "#595959" }, `Source : ${series.source}`);
  return svg;
}

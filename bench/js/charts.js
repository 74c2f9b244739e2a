// A panel drawn as an SVG infographic in the DOM with d3-scale (band and
// linear scales, nice domains, ticks): title, key figures, grouped bars,
// lines, age pyramid, reading sentences, sources. 480 px wide like the
// core's infographics. d3 comes from the UMD bundles loaded by js.html.

const d3 = globalThis.d3;
const W = 480;
const M = 16;
const ACCENT = "#d95f02";
const ACCENT_TEXT = "#a84500";
const PALETTE = ["#1b3f6b", "#5b9bd5", "#808080", "#a9ccec", "#3d3d3d"];
const INK = "#222222";
const MUTED = "#595959";
export const NS = "http://www.w3.org/2000/svg";

/** An SVG element `tag` with `attrs` (and text), appended to `parent`. */
export function el(parent, tag, attrs, content) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (content !== undefined) e.textContent = content;
  parent.appendChild(e);
  return e;
}

const RULE = "#bdbdbd";
const GRID = "#e8e8e8";
const nfTick = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

const colorOf = (i) => (i === 0 ? ACCENT : PALETTE[(i - 1) % PALETTE.length]);
const has = (f) => f && f.value !== null && f.status !== "secret" && f.status !== "not_available";

/** Words wrapped to `max` characters per line (DejaVu Sans at ~0.55 em). */
function wrap(text, size, width) {
  const max = Math.max(10, Math.floor(width / (size * 0.55)));
  const lines = [];
  let line = "";
  for (const w of text.split(" ")) {
    if (line && line.length + 1 + w.length > max) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}

function paragraph(g, text, x, y, size, fill, width, weight) {
  for (const line of wrap(text, size, width)) {
    y += size * 1.3;
    const a = { x, y, "font-size": size, fill };
    if (weight) a["font-weight"] = weight;
    el(g, "text", a, line);
  }
  return y;
}

function legend(g, series, y) {
  let x = M;
  for (let i = 0; i < series.length; i++) {
    const w = Math.min(200, 24 + series[i].name.length * 6);
    if (x + w > W - M) {
      x = M;
      y += 16;
    }
    el(g, "rect", { x, y: y - 9, width: 10, height: 10, fill: colorOf(i) });
    el(g, "text", { x: x + 14, y, "font-size": 10, fill: INK }, series[i].name);
    x += w;
  }
  return y + 10;
}

function bars(g, chart, y) {
  const n = chart.series.length;
  const values = chart.series.flatMap((s) => s.figures.filter(has).map((f) => f.value));
  const labelW = 150;
  const x = d3
    .scaleLinear()
    .domain([Math.min(0, ...values), Math.max(0, ...values)])
    .nice()
    .range([M + labelW, W - M - 40]);
  const rowH = n * 10 + 10;
  const yCat = d3
    .scaleBand()
    .domain(chart.categories)
    .range([y, y + chart.categories.length * rowH])
    .paddingInner(0.2);
  const ySer = d3.scaleBand().domain(d3.range(n)).range([0, yCat.bandwidth()]).padding(0.1);
  const bottom = y + chart.categories.length * rowH;
  for (const t of x.ticks(4)) {
    el(g, "line", { x1: x(t), x2: x(t), y1: y - 4, y2: bottom, stroke: GRID });
    el(g, "text", { x: x(t), y: bottom + 12, "font-size": 9, fill: MUTED, "text-anchor": "middle" }, nfTick.format(t));
  }
  el(g, "line", { x1: x(0), x2: x(0), y1: y - 4, y2: bottom, stroke: RULE });
  chart.categories.forEach((cat, c) => {
    const cy = yCat(cat);
    paragraph(g, cat, M, cy - 11, 10, INK, labelW - 8);
    chart.series.forEach((s, i) => {
      const f = s.figures[c];
      const by = cy + ySer(i);
      if (has(f)) {
        const x0 = x(Math.min(0, f.value));
        el(g, "rect", { x: x0, y: by, width: Math.max(0.5, Math.abs(x(f.value) - x(0))), height: ySer.bandwidth(), fill: colorOf(i) });
        el(g, "text", { x: x(Math.max(0, f.value)) + 3, y: by + ySer.bandwidth() - 1, "font-size": 8.5, fill: INK }, f.text);
      } else {
        el(g, "text", { x: x(0) + 3, y: by + ySer.bandwidth() - 1, "font-size": 8.5, fill: MUTED, "font-style": "italic" }, f ? f.text : "");
      }
    });
  });
  return bottom + 22;
}

function lines(g, chart, y) {
  const h = 150;
  const values = chart.series.flatMap((s) => s.figures.filter(has).map((f) => f.value));
  const x = d3.scalePoint().domain(chart.years).range([M + 44, W - M - 8]);
  const yScale = d3
    .scaleLinear()
    .domain([Math.min(...values), Math.max(...values)])
    .nice()
    .range([y + h, y]);
  for (const t of yScale.ticks(5)) {
    el(g, "line", { x1: M + 40, x2: W - M, y1: yScale(t), y2: yScale(t), stroke: GRID });
    el(g, "text", { x: M + 36, y: yScale(t) + 3, "font-size": 9, fill: MUTED, "text-anchor": "end" }, nfTick.format(t));
  }
  const step = Math.ceil(chart.years.length / 8);
  chart.years.forEach((yr, i) => {
    if (i % step === 0 || i === chart.years.length - 1) {
      el(g, "text", { x: x(yr), y: y + h + 13, "font-size": 9, fill: MUTED, "text-anchor": "middle" }, String(yr));
    }
  });
  el(g, "line", { x1: M + 40, x2: W - M, y1: y + h, y2: y + h, stroke: RULE });
  chart.series.forEach((s, i) => {
    let d = "";
    let pen = false;
    s.figures.forEach((f, k) => {
      if (!has(f)) {
        pen = false;
        return;
      }
      d += `${pen ? "L" : "M"}${x(chart.years[k]).toFixed(1)},${yScale(f.value).toFixed(1)}`;
      pen = true;
      el(g, "circle", { cx: x(chart.years[k]), cy: yScale(f.value), r: s.study ? 2.5 : 2, fill: colorOf(i) });
    });
    if (d) el(g, "path", { d, fill: "none", stroke: colorOf(i), "stroke-width": s.study ? 2.5 : 1.5 });
  });
  return y + h + 24;
}

function pyramid(g, chart, y) {
  if (!chart.study) {
    el(g, "text", { x: M, y: y + 12, "font-size": 10, fill: MUTED }, "Pyramide des âges non disponible");
    return y + 24;
  }
  const h = 20 * 11;
  const mid = W / 2;
  const max = Math.max(...chart.study.men, ...chart.study.women, ...(chart.comparison ? [...chart.comparison.men, ...chart.comparison.women] : []));
  const xs = d3.scaleLinear().domain([0, max]).nice().range([0, mid - M - 24]);
  const band = d3
    .scaleBand()
    .domain([...chart.bands].reverse())
    .range([y, y + h])
    .paddingInner(0.1);
  chart.bands.forEach((b, i) => {
    const by = band(b);
    el(g, "rect", { x: mid - 18 - xs(chart.study.men[i]), y: by, width: xs(chart.study.men[i]), height: band.bandwidth(), fill: "#1b3f6b" });
    el(g, "rect", { x: mid + 18, y: by, width: xs(chart.study.women[i]), height: band.bandwidth(), fill: ACCENT });
    el(g, "text", { x: mid, y: by + band.bandwidth() - 1.5, "font-size": 8, fill: INK, "text-anchor": "middle" }, b);
  });
  if (chart.comparison) {
    const step = (side, sign) => {
      let d = "";
      chart.bands.forEach((b, i) => {
        const xx = sign < 0 ? mid - 18 - xs(side[i]) : mid + 18 + xs(side[i]);
        const by = band(b);
        d += `${d ? "L" : "M"}${xx.toFixed(1)},${(by + band.bandwidth() + 0.5).toFixed(1)}L${xx.toFixed(1)},${(by - 0.5).toFixed(1)}`;
      });
      el(g, "path", { d, fill: "none", stroke: INK, "stroke-width": 1.2 });
    };
    step(chart.comparison.men, -1);
    step(chart.comparison.women, 1);
  }
  for (const t of xs.ticks(3)) {
    el(g, "text", { x: mid - 18 - xs(t), y: y + h + 12, "font-size": 9, fill: MUTED, "text-anchor": "middle" }, nfTick.format(t));
    el(g, "text", { x: mid + 18 + xs(t), y: y + h + 12, "font-size": 9, fill: MUTED, "text-anchor": "middle" }, nfTick.format(t));
  }
  el(g, "text", { x: M, y: y + h + 26, "font-size": 10, fill: INK }, `Hommes / Femmes : ${chart.study.name}${chart.comparison ? ` ; trait : ${chart.comparison.name}` : ""}`);
  return y + h + 36;
}

/** The panel as an <svg> element (not yet in the document). */
export function drawPanel(panel, series) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("xmlns", NS);
  svg.setAttribute("role", "img");
  svg.setAttribute("font-family", "DejaVu Sans, sans-serif");
  const g = el(svg, "g", {});
  const bg = el(g, "rect", { x: 0, y: 0, width: W, height: 0, fill: "#ffffff" });
  el(g, "rect", { x: M, y: M, width: 28, height: 28, fill: ACCENT });
  el(g, "text", { x: M + 14, y: 36, "font-size": 17, "font-weight": "bold", fill: "#ffffff", "text-anchor": "middle" }, String(panel.number));
  el(g, "text", { x: 54, y: 36, "font-size": 17, "font-weight": "bold", fill: INK }, panel.title);
  el(g, "line", { x1: M, x2: W - M, y1: 52, y2: 52, stroke: RULE });
  let y = 60;
  // Key figures, two per row.
  for (let i = 0; i < panel.keys.length; i += 2) {
    let bottom = y;
    for (let j = 0; j < 2 && i + j < panel.keys.length; j++) {
      const k = panel.keys[i + j];
      const x = M + j * (W / 2 - M);
      let yy = y + 24;
      el(g, "text", { x, y: yy, "font-size": k.text.length > 16 ? 16 : 22, "font-weight": "bold", fill: ACCENT_TEXT }, k.text);
      yy = paragraph(g, k.label, x, yy + 2, 11, INK, W / 2 - M - 12);
      if (k.note) yy = paragraph(g, k.note, x, yy, 9.5, MUTED, W / 2 - M - 12);
      bottom = Math.max(bottom, yy);
    }
    y = bottom + 12;
  }
  for (const s of panel.sentences) y = paragraph(g, s, M, y, 11, INK, W - 2 * M) + 4;
  y += 8;
  if (series.length) y = legend(g, series, y + 10) + 6;
  for (const chart of panel.charts) {
    y = paragraph(g, chart.title, M, y, 11.5, INK, W - 2 * M, "bold") + 12;
    if (chart.type === "bars") y = bars(g, chart, y);
    else if (chart.type === "lines") y = lines(g, chart, y);
    else y = pyramid(g, chart, y);
  }
  el(g, "line", { x1: M, x2: W - M, y1: y, y2: y, stroke: RULE });
  for (const s of panel.sources) y = paragraph(g, s, M, y, 9, MUTED, W - 2 * M);
  const h = Math.ceil(y + M);
  bg.setAttribute("height", h);
  svg.setAttribute("viewBox", `0 0 ${W} ${h}`);
  svg.setAttribute("width", W);
  svg.setAttribute("height", h);
  return svg;
}

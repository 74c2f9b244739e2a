// The snapshot as an A4 PDF with jsPDF and svg2pdf.js, as their
// documentation shows: the DejaVu Sans TTF files registered with
// addFileToVFS / addFont, a title page, one page per infographic
// (doc.svg(element, { x, y, width, height }) from svg2pdf.js) with its
// title and sources, the France EPCI map, a sources and methods section
// (doc.text with splitTextToSize), then doc.save(). The libraries
// (jspdf.umd.min.js, svg2pdf.umd.min.js) load on the first export only,
// as the viewer's PDF module does.

const FONT_URLS = { normal: "../www/fonts/DejaVuSans.ttf", bold: "../www/fonts/DejaVuSans-Bold.ttf" };
let ready = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const s = document.createElement("script");
    s.src = src;
    s.onload = resolve;
    s.onerror = () => reject(new Error(`${src} ne se charge pas`));
    document.head.append(s);
  });
}

function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Loads jsPDF, svg2pdf.js and the fonts (base64, as addFileToVFS wants) once. */
function load() {
  if (!ready) {
    ready = (async () => {
      await script("../node_modules/jspdf/dist/jspdf.umd.min.js");
      await script("../node_modules/svg2pdf.js/dist/svg2pdf.umd.min.js");
      const fetchFont = async (url) => base64(await (await fetch(url)).arrayBuffer());
      const [normal, bold] = await Promise.all([fetchFont(FONT_URLS.normal), fetchFont(FONT_URLS.bold)]);
      return { normal, bold };
    })();
  }
  return ready;
}

function fitInto(svg, maxW, maxH) {
  const w = Number(svg.getAttribute("width"));
  const h = Number(svg.getAttribute("height"));
  const k = Math.min(maxW / w, maxH / h);
  return { width: w * k, height: h * k };
}

function sources(doc, lines, y) {
  doc.setFont("DejaVu Sans", "normal");
  doc.setFontSize(8);
  doc.setTextColor(89, 89, 89);
  for (const line of lines) {
    doc.text(doc.splitTextToSize(line, 515), 40, y);
    y += 11;
  }
}

/** « Sources et méthodes »: the sources, then every indicator's definition. */
function methods(doc, data) {
  doc.addPage();
  let y = 50;
  const line = (text, size, weight, color, gap = 3) => {
    doc.setFont("DejaVu Sans", weight);
    doc.setFontSize(size);
    doc.setTextColor(...color);
    const lines = doc.splitTextToSize(text, 515);
    const h = lines.length * size * 1.25;
    if (y + h > 800) {
      doc.addPage();
      y = 50;
    }
    doc.text(lines, 40, y + size);
    y += h + gap;
  };
  line("Sources et méthodes", 16, "bold", [34, 34, 34], 10);
  line("Sources", 12, "bold", [34, 34, 34], 6);
  for (const s of data.sources) {
    line(s.label, 9, "bold", [34, 34, 34], 1);
    line([s.producer, s.geography, s.note].filter(Boolean).join(" — "), 8, "normal", [89, 89, 89], 5);
  }
  line("Définitions des indicateurs", 12, "bold", [34, 34, 34], 6);
  for (const ind of data.indicators.values()) {
    line(`${ind.label} (${ind.unit})`, 9, "bold", [34, 34, 34], 1);
    if (ind.definition) line(ind.definition, 8, "normal", [89, 89, 89], 5);
  }
}

/**
 * Writes the PDF of the snapshot on screen: `snap` (panels.js), the nine
 * panel <svg> elements, the map <svg> and its sources. Resolves to the
 * PDF's { bytes, pages } after its download starts.
 */
export async function exportPdf(data, snap, panelSvgs, mapSvg, mapSources, date) {
  const fonts = await load();
  const { jsPDF } = globalThis.jspdf;
  const doc = new jsPDF({ unit: "pt", format: "a4", compress: true });
  doc.addFileToVFS("DejaVuSans.ttf", fonts.normal);
  doc.addFont("DejaVuSans.ttf", "DejaVu Sans", "normal");
  doc.addFileToVFS("DejaVuSans-Bold.ttf", fonts.bold);
  doc.addFont("DejaVuSans-Bold.ttf", "DejaVu Sans", "bold");
  doc.setLanguage("fr-FR");
  doc.setProperties({ title: `Portrait de territoire : ${snap.study.name}` });

  // Title page.
  doc.setFont("DejaVu Sans", "bold");
  doc.setFontSize(24);
  doc.text(doc.splitTextToSize(`Portrait de territoire : ${snap.study.name}`, 515), 40, 120);
  doc.setFont("DejaVu Sans", "normal");
  doc.setFontSize(12);
  doc.text(`Comparé à : ${snap.comparisons.map((c) => c.name).join(", ")}`, 40, 200);
  doc.text(`Édité le ${date}`, 40, 220);

  for (let i = 0; i < snap.panels.length; i++) {
    const panel = snap.panels[i];
    doc.addPage();
    doc.setFont("DejaVu Sans", "bold");
    doc.setFontSize(16);
    doc.setTextColor(34, 34, 34);
    doc.text(`${panel.number}. ${panel.title}`, 40, 50);
    const size = fitInto(panelSvgs[i], 515, 700);
    await doc.svg(panelSvgs[i], { x: 40 + (515 - size.width) / 2, y: 64, width: size.width, height: size.height });
    sources(doc, panel.sources, 64 + size.height + 16);
  }

  doc.addPage();
  doc.setFont("DejaVu Sans", "bold");
  doc.setFontSize(16);
  doc.setTextColor(34, 34, 34);
  doc.text("Carte : taux de pauvreté des intercommunalités", 40, 50);
  const size = fitInto(mapSvg, 515, 680);
  await doc.svg(mapSvg, { x: 40, y: 64, width: size.width, height: size.height });
  sources(doc, mapSources, 64 + size.height + 16);

  methods(doc, data);

  const pages = doc.getNumberOfPages();
  const blob = doc.output("blob");
  // What doc.save() does: a Blob URL clicked as a download.
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = `instantane-${snap.study.code}-${date}.pdf`;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { bytes: blob.size, pages };
}

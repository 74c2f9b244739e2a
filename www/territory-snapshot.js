// <territory-snapshot>: the snapshot viewer as a custom element, for
// partner sites.
//
//   <script type="module" src="/instantane/territory-snapshot.js"></script>
//   <territory-snapshot territory="244400404" compare="44,52,FRM"
//                       panels="pauvrete,revenus" maps="pauvrete"></territory-snapshot>
//
// Attributes (all optional but `territory`; every change redraws):
//   pack       URL of the data pack (default: pack.bin beside this script);
//   territory  code or key of the study territory (244400404, 44, dep:44…);
//   compare    comparison territories, comma separated; absent: the
//              defaults (its département, région, France), empty: none;
//   panels     infographics to show, by id (population, ages, menages,
//              jeunesse, emploi, logement, revenus, pauvrete, prestations)
//              or number (1–9), comma separated; absent: all nine;
//   maps       maps to show: "pauvrete" (poverty-rate choropleth, default),
//              "typologie" (fragility typology), both, or "" for none;
//   map-view   pdl_epci | france_epci | departement_epci:<code>; default:
//              chosen from the study territory;
//   search     "off" hides the territory search field;
//   export     "off" hides the « Exporter en PDF » button;
//   heading-level  level of the widget's title (default 2).
//
// Theming: CSS custom properties set on the element or above it
// (--ts-font-family, --ts-color-text, --ts-color-background,
// --ts-color-accent, --ts-color-accent-text, --ts-color-muted,
// --ts-color-border, --ts-radius, --ts-panel-min-width) and ::part()
// (header, panel, map, actions). The infographics keep DejaVu Sans: the
// core lays their text out with its metrics.
//
// API (territory-snapshot.d.ts): setTerritory(code), setComparisons(list),
// exportPdf({download}), the `ready` promise, `territory`, `info`; events
// `territorychange`, `exportdone`, `exporterror`, `snapshoterror` (all
// bubbling and composed).
//
// Everything lives in this module's scope and in each element's shadow
// root: no global variable. The wasm core loads once per page, and each
// pack URL once, whatever the number of widgets.

import init, { Viewer } from "./pkg/territoire.js";
import { createPdfExport, today } from "./pdf-export.js";
import { dataTable, h } from "./dom.js";
import { aspectRatio, importSvg, infographicSvg, outlinesGroup } from "./svg-import.js";
import { describe } from "./describe.js";

const BASE = new URL(".", import.meta.url);
const STYLE_URL = new URL("territory-snapshot.css", BASE).href;
const FONT_URLS = [
  [new URL("fonts/DejaVuSans.ttf", BASE).href, "400"],
  [new URL("fonts/DejaVuSans-Bold.ttf", BASE).href, "700"],
];
const PANEL_IDS = ["population", "ages", "menages", "jeunesse", "emploi", "logement", "revenus", "pauvrete", "prestations"];
const SEARCH_KINDS = "epci,dep,reg,pays";
const PDL = "Pays de la Loire";
const MAP_WIDTH = 640;
const PDF_MAP_WIDTH = 800;
const frenchInt = new Intl.NumberFormat("fr-FR");

// ---- shared by every widget of the page -------------------------------------------

let corePromise = null;
const viewers = new Map(); // absolute pack URL → Promise<Viewer>
let fontsPromise = null;
let widgetCount = 0;

function loadCore() {
  corePromise ??= init().catch((err) => {
    corePromise = null;
    throw new Error(`le moteur de la visionneuse n'a pas pu démarrer (${messageOf(err)})`);
  });
  return corePromise;
}

function loadViewer(url) {
  let p = viewers.get(url);
  if (!p) {
    p = (async () => {
      await loadCore();
      let res;
      try {
        res = await fetch(url);
      } catch {
        throw new Error(`le fichier de données ${url} n'a pas pu être téléchargé (le serveur ne répond pas)`);
      }
      if (!res.ok) throw new Error(`le fichier de données ${url} est introuvable (réponse du serveur : ${res.status})`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      try {
        return new Viewer(bytes);
      } catch (err) {
        throw new Error(`le fichier de données ${url} est inutilisable : ${messageOf(err)}`);
      }
    })();
    p.catch(() => viewers.delete(url)); // a later attempt may succeed
    viewers.set(url, p);
  }
  return p;
}

/** The infographics' font, added to the document once (a shadow root
 * cannot declare @font-face). Never fatal. */
function loadFonts() {
  if (!fontsPromise) {
    fontsPromise = Promise.all(
      FONT_URLS.map(([url, weight]) => {
        const face = new FontFace("DejaVu Sans", `url("${url}") format("truetype")`, { weight, display: "block" });
        document.fonts.add(face);
        return face.load();
      }),
    ).catch(() => null);
  }
  return fontsPromise;
}

function messageOf(err) {
  const text = err instanceof Error ? err.message : String(err ?? "");
  return text || "erreur inconnue";
}

function listOf(text) {
  return String(text ?? "")
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The panel ids asked for by `panels` (ids or numbers), in the core's
 * order; null for all. Throws (French) on an unknown one. */
export function panelsOf(text) {
  if (text === null || text === undefined) return null;
  const want = new Set();
  for (const item of listOf(text)) {
    const n = Number(item);
    const id = Number.isInteger(n) && n >= 1 && n <= PANEL_IDS.length ? PANEL_IDS[n - 1] : item.toLowerCase();
    if (!PANEL_IDS.includes(id)) {
      throw new Error(`infographie inconnue « ${item} » (attendu : 1 à 9 ou ${PANEL_IDS.join(", ")})`);
    }
    want.add(id);
  }
  return want;
}

/** The maps asked for by `maps`. Throws (French) on an unknown one. */
export function mapsOf(text) {
  if (text === null || text === undefined) return ["pauvrete"];
  const out = [];
  for (const item of listOf(text)) {
    const id = item.toLowerCase();
    if (id === "aucune" || id === "none") continue;
    if (id !== "pauvrete" && id !== "typologie") {
      throw new Error(`carte inconnue « ${item} » (attendu : pauvrete, typologie ou rien)`);
    }
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

function mapViewOf(attr, study) {
  if (attr) {
    const [view, dep] = attr.split(":");
    if (view === "departement_epci") {
      if (!dep) throw new Error("map-view « departement_epci » demande un code de département (departement_epci:44)");
      return { view, departement: dep };
    }
    if (view !== "pdl_epci" && view !== "france_epci") {
      throw new Error(`vue de carte inconnue « ${attr} » (attendu : pdl_epci, france_epci ou departement_epci:<code>)`);
    }
    return { view };
  }
  if (study.kind === "dep") return { view: "departement_epci", departement: study.code };
  return (study.regions ?? []).includes(PDL) || study.name === PDL ? { view: "pdl_epci" } : { view: "france_epci" };
}

function layerOf(kind) {
  return kind === "typologie"
    ? { kind: "typology", id: "fragilites", variables: [], classes: 5 }
    : {
        kind: "choropleth",
        indicator: "taux_pauvrete",
        year: null,
        method: { method: "quantiles" },
        classes: 5,
        palette: null,
        circles: false,
      };
}

// ---- the element --------------------------------------------------------------------

/** Marks the territories of `highlight` (study first) on a map. */
function markHighlight(svg, highlight) {
  for (const el of svg.querySelectorAll("[data-id]")) {
    const key = el.getAttribute("data-id");
    if (highlight.includes(key)) el.classList.add(key === highlight[0] ? "study" : "compare");
  }
}

const OBSERVED = ["pack", "territory", "compare", "panels", "maps", "map-view", "search", "export", "heading-level"];

/** A promise settled later, that says how it settled ({promise, state:
 * "pending" | "ok" | "failed", settle(state, error)}); a rejection nobody
 * awaits is not an unhandled one (the widget reports it on screen and by
 * its events). */
function settledLater() {
  let resolve;
  let reject;
  const promise = new Promise((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  promise.catch(() => {});
  const out = {
    promise,
    state: "pending",
    settle(state, error) {
      if (out.state !== "pending") return;
      out.state = state;
      if (state === "ok") resolve();
      else reject(error);
    },
  };
  return out;
}

class TerritorySnapshot extends HTMLElement {
  static get observedAttributes() {
    return OBSERVED;
  }

  #root;
  #ui;
  #uid;
  #viewer = null;
  #packUrl = null;
  #snap = null;
  #asked = null; // { code, compare } of the snapshot shown
  #full = null; // { asked, snap }: its whole snapshot, once a table is opened
  #figures = new Map(); // panel id → { svg, key }: the infographics shown, patched by the next switch
  #maps = [];
  /** The maps on screen, in order: { req, svg, table, level }; empty when
   * one of them could not be drawn. */
  #mapBlocks = [];
  #outlinesCount = 0;
  #scheduled = false;
  #drawToken = 0;
  #pdf = null;
  #ready = settledLater();
  #searchTimer = null;
  /** Resolves once a snapshot is on screen; rejects with the reason when
   * the latest draw failed, until a later one succeeds (a failed first
   * territory, then setTerritory with a good one: ready again, and
   * exportPdf works). A switch in progress does not make it pending again. */
  get ready() {
    return this.#ready.promise;
  }

  constructor() {
    super();
    this.#uid = `ts${++widgetCount}`;
    this.#root = this.attachShadow({ mode: "open" });
    this.#build();
  }

  connectedCallback() {
    loadFonts();
    this.#schedule();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (name === "search") this.#ui.search.hidden = newValue === "off";
    if (name === "export") this.#ui.actions.hidden = newValue === "off";
    if (name === "heading-level") this.#ui.title.setAttribute("aria-level", this.#headingLevel());
    if (this.isConnected) this.#schedule();
  }

  // ---- API ----

  /** The study territory (code or key), as the `territory` attribute. */
  get territory() {
    return this.getAttribute("territory");
  }

  set territory(code) {
    this.setAttribute("territory", String(code));
  }

  /** The territory shown ({key, code, name, kind, kind_label, …}) or null. */
  get info() {
    return this.#snap ? { ...this.#snap.study } : null;
  }

  /** Shows `code` and resolves with the territory once drawn. */
  setTerritory(code) {
    const drawn = this.#afterDraw();
    this.setAttribute("territory", String(code));
    this.#schedule(); // also when the attribute did not change
    return drawn;
  }

  /** Sets the comparisons (codes or keys); null: the defaults, []: none. */
  setComparisons(list) {
    const drawn = this.#afterDraw();
    if (list === null || list === undefined) this.removeAttribute("compare");
    else this.setAttribute("compare", [...list].map(String).join(","));
    this.#schedule();
    return drawn;
  }

  /** Exports the snapshot to PDF. Resolves with {blob, filename, pages};
   * `download: false` skips the browser download. */
  async exportPdf({ download = true } = {}) {
    await this.ready;
    const result = await this.#pdf.run({ download });
    if (!result?.ok) throw new Error(result?.message ?? "export PDF impossible");
    return { blob: new Blob([result.bytes], { type: "application/pdf" }), filename: result.name, pages: result.pages };
  }

  // ---- internals ----

  #headingLevel() {
    const n = Number(this.getAttribute("heading-level") ?? 2);
    return String(Number.isInteger(n) && n >= 1 && n <= 6 ? n : 2);
  }

  #build() {
    const id = (s) => `${this.#uid}-${s}`;
    const title = h("div", { class: "title", role: "heading", "aria-level": "2", id: id("title"), tabindex: "-1" }, "Instantané territorial");
    const meta = h("p", { class: "meta" });
    const compare = h("p", { class: "compare" });
    const input = h("input", {
      type: "search",
      id: id("q"),
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "Nom, commune ou code",
      "aria-describedby": id("q-help"),
      disabled: true,
    });
    const results = h("ul", { class: "results", id: id("results"), "aria-label": "Territoires trouvés", hidden: true });
    const search = h(
      "div",
      { class: "search", role: "search" },
      h("label", { for: input.id }, "Changer de territoire"),
      input,
      h("span", { class: "sr-only", id: id("q-help") }, "Tapez au moins deux lettres, puis choisissez dans la liste."),
      results,
    );
    const status = h("p", { class: "status", role: "status" }, "Chargement de l'instantané…");
    const error = h("p", { class: "error", role: "alert", hidden: true });
    const panels = h("div", { class: "panels" });
    const maps = h("div", { class: "maps" });
    const pdfButton = h("button", { type: "button", class: "button" }, "Exporter en PDF");
    const pdfStatus = h("span", { class: "pdf-status", role: "status" });
    const pdfError = h("p", { class: "error", role: "alert", hidden: true });
    const actions = h("div", { class: "actions", part: "actions" }, pdfButton, pdfStatus, pdfError);
    const credit = h("p", { class: "credit" });
    const container = h(
      "div",
      { class: "widget", lang: "fr", "data-state": "loading", "aria-labelledby": title.id, role: "region" },
      h("div", { class: "head", part: "header" }, title, meta, compare),
      search,
      status,
      error,
      panels,
      maps,
      actions,
      credit,
    );
    const link = h("link", { rel: "stylesheet", href: STYLE_URL });
    this.#root.append(link, container);
    this.#ui = { container, title, meta, compare, input, results, search, status, error, panels, maps, actions, credit, pdfButton };

    input.addEventListener("input", () => {
      clearTimeout(this.#searchTimer);
      this.#searchTimer = setTimeout(() => this.#search(), 120);
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "ArrowDown") {
        const first = results.querySelector("button");
        if (first) {
          e.preventDefault();
          first.focus();
        }
      } else if (e.key === "Escape") {
        this.#clearResults();
      }
    });
    results.addEventListener("keydown", (e) => {
      const buttons = [...results.querySelectorAll("button")];
      const i = buttons.indexOf(this.#root.activeElement);
      if (i < 0) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const next = i + (e.key === "ArrowDown" ? 1 : -1);
        (next < 0 ? input : buttons[Math.min(next, buttons.length - 1)]).focus();
      } else if (e.key === "Escape") {
        this.#clearResults();
        input.focus();
      }
    });

    this.#pdf = createPdfExport({
      button: pdfButton,
      status: pdfStatus,
      error: pdfError,
      messageOf,
      prepare: () => this.#pdfJob(),
      onDone: (r) =>
        this.#emit("exportdone", {
          filename: r.name,
          size: r.bytes.length,
          pages: r.pages,
          blob: new Blob([r.bytes], { type: "application/pdf" }),
        }),
      onError: (message) => this.#emit("exporterror", { message }),
    });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#draw();
    });
  }

  /** Resolves with the territory after the next draw (or rejects). */
  #afterDraw() {
    return new Promise((ok, fail) => {
      const done = (e) => {
        this.removeEventListener("territorychange", done);
        this.removeEventListener("snapshoterror", done);
        if (e.type === "territorychange") ok(e.detail);
        else fail(new Error(e.detail.message));
      };
      this.addEventListener("territorychange", done);
      this.addEventListener("snapshoterror", done);
    });
  }

  #setState(s) {
    this.#ui.container.dataset.state = s;
  }

  #fail(message) {
    const { error, status } = this.#ui;
    status.textContent = "";
    error.textContent = `Instantané impossible : ${message.replace(/\.+$/, "")}.`;
    error.hidden = false;
    this.#setState("error");
    this.#emit("snapshoterror", { message });
    if (this.#ready.state !== "pending") this.#ready = settledLater();
    this.#ready.settle("failed", new Error(message));
  }

  async #draw() {
    const token = ++this.#drawToken;
    const ui = this.#ui;
    const packUrl = new URL(this.getAttribute("pack") || "pack.bin", this.getAttribute("pack") ? document.baseURI : BASE).href;
    if (packUrl !== this.#packUrl || !this.#viewer) {
      this.#viewer = null;
      this.#packUrl = null;
      this.#setState("loading");
      try {
        const [viewer] = await Promise.all([loadViewer(packUrl), loadFonts()]);
        if (token !== this.#drawToken) return;
        this.#viewer = viewer;
        this.#packUrl = packUrl;
        this.#showCredit();
      } catch (err) {
        if (token === this.#drawToken) this.#fail(messageOf(err));
        return;
      }
    }
    const code = (this.getAttribute("territory") ?? "").trim();
    if (!code) {
      this.#fail("aucun territoire choisi (attribut territory, par exemple territory=\"244400404\")");
      ui.input.disabled = false;
      return;
    }
    let snap;
    let panels;
    let maps;
    try {
      panels = panelsOf(this.getAttribute("panels"));
      maps = mapsOf(this.getAttribute("maps"));
      const compare = this.hasAttribute("compare") ? listOf(this.getAttribute("compare")).join(",") : undefined;
      // With the keys of the infographics shown, in the core's panel order:
      // each comes as a patch of the one shown when the core can build on it.
      const shown = (this.#snap?.panels ?? []).map((p) => this.#figures.get(p.id)?.key ?? "").join(",");
      snap = this.#viewer.infographics(code, compare, shown);
      this.#asked = { code, compare };
    } catch (err) {
      this.#fail(messageOf(err));
      ui.input.disabled = false;
      return;
    }
    const switched = this.#snap?.study.key !== snap.study.key;
    this.#snap = snap;
    ui.error.hidden = true;
    ui.input.disabled = false;
    this.#renderHead(snap);
    this.#renderPanels(snap, panels);
    this.#renderMaps(snap, maps);
    const n = ui.panels.children.length;
    ui.status.textContent = `Instantané affiché : ${snap.study.name}, ${n} ${n > 1 ? "infographies" : "infographie"}.`;
    this.#setState("ready");
    if (this.#ready.state === "failed") this.#ready = settledLater();
    this.#ready.settle("ok");
    const s = snap.study;
    this.#emit("territorychange", {
      key: s.key,
      code: s.code,
      name: s.name,
      kind: s.kind,
      comparisons: snap.comparisons.map((c) => ({ key: c.key, code: c.code, name: c.name })),
      switched,
    });
  }

  #showCredit() {
    let text = "Instantané territorial — données publiques (Insee, CAF)";
    try {
      const built = /^(\d{4})-(\d{2})-(\d{2})/.exec(this.#viewer.info()?.build_date ?? "");
      if (built) text += `, fichier de données du ${built[3]}/${built[2]}/${built[1]}`;
    } catch {
      // the credit line stays generic
    }
    this.#ui.credit.textContent = `${text}. Sources et millésimes sous chaque figure.`;
  }

  #renderHead(snap) {
    const { title, meta, compare } = this.#ui;
    const s = snap.study;
    title.textContent = s.name;
    title.setAttribute("aria-level", this.#headingLevel());
    meta.textContent = describe(s);
    compare.textContent = snap.comparisons.length
      ? `Comparé à : ${snap.comparisons.map((c) => c.name).join(", ")}`
      : "Sans territoire de comparaison";
  }

  #renderPanels(snap, want) {
    const level = Number(this.#headingLevel()) + 1;
    const nodes = [];
    const figures = new Map();
    for (const panel of snap.panels ?? []) {
      if (want && !want.has(panel.id)) continue;
      const pid = `${this.#uid}-p-${panel.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
      const heading = h(
        "div",
        { class: "sr-only", role: "heading", "aria-level": String(Math.min(level, 6)), id: `${pid}-h` },
        panel.number ? `${panel.number}. ${panel.title}` : panel.title,
      );
      // The infographic shown, patched (only what differs changes), or a
      // whole document imported.
      const svg = infographicSvg(panel, this.#figures.get(panel.id)?.svg, `${pid}-`, this.#viewer);
      if (svg) figures.set(panel.id, { svg, key: panel.key });
      const figure = h(
        "div",
        { class: "figure" },
        svg ?? h("p", { class: "missing" }, panel.svg || panel.patch ? "Infographie illisible." : "Infographie indisponible."),
      );
      figure.style.aspectRatio = aspectRatio(svg);
      const text = svg
        ? []
        : (panel.sentences ?? []).map((s) => h("p", {}, s));
      const sources = (panel.sources ?? []).map((s) => h("p", { class: "source" }, s));
      nodes.push(
        h(
          "section",
          { class: "panel", part: "panel", "data-panel": panel.id, "aria-labelledby": heading.id },
          heading,
          figure,
          ...text,
          h("div", { class: "sr-only" }, ...sources),
          this.#tableDisclosure(panel.id, snap.study.name),
        ),
      );
    }
    this.#full = null;
    this.#figures = figures;
    this.#ui.panels.replaceChildren(...nodes);
  }

  /** « Tableau des données » of panel `id`: the table is built when the
   * disclosure first opens, from the core's whole snapshot (asked once per
   * snapshot shown: a switch only draws the infographics). */
  #tableDisclosure(id, studyName) {
    const details = h("details", { class: "data" }, h("summary", {}, "Tableau des données"));
    const asked = this.#asked;
    details.addEventListener("toggle", () => {
      if (!details.open || details.childElementCount > 1) return;
      let table;
      try {
        if (this.#full?.asked !== asked) this.#full = { asked, snap: this.#viewer.snapshot(asked.code, asked.compare) };
        table = this.#full.snap.panels.find((p) => p.id === id)?.table;
      } catch (err) {
        details.append(h("p", { class: "error" }, `Tableau indisponible : ${messageOf(err)}.`));
        return;
      }
      details.append(table ? dataTable(table, studyName, { studyClass: "study" }) : h("p", {}, "Tableau indisponible."));
    });
    return details;
  }

  #mapRequests(snap, kinds, width) {
    const view = mapViewOf(this.getAttribute("map-view"), snap.study);
    const highlight = [snap.study.key, ...snap.comparisons.map((c) => c.key)];
    const ratio = view.view === "france_epci" ? 1 : 0.8;
    return kinds.map((kind) => ({ ...view, layer: layerOf(kind), highlight, width, height: Math.round(width * ratio) }));
  }

  #renderMaps(snap, kinds) {
    this.#maps = kinds;
    const level = Math.min(Number(this.#headingLevel()) + 1, 6);
    const nodes = [];
    let requests;
    try {
      requests = this.#mapRequests(snap, kinds, MAP_WIDTH);
    } catch (err) {
      this.#mapBlocks = [];
      this.#ui.maps.replaceChildren(h("p", { class: "error", role: "alert" }, `Carte impossible : ${messageOf(err)}.`));
      return;
    }
    if (this.#swapOutlines(snap, requests, level)) return;
    const blocks = [];
    for (const [i, req] of requests.entries()) {
      const mid = `${this.#uid}-m${i}`;
      let res;
      try {
        res = this.#viewer.map(req);
      } catch (err) {
        nodes.push(h("p", { class: "error", role: "alert" }, `Carte impossible : ${messageOf(err)}.`));
        continue;
      }
      const svg = importSvg(res.svg, `${mid}-`);
      if (!svg) {
        nodes.push(h("p", { class: "error", role: "alert" }, "Carte impossible : le dessin renvoyé est illisible."));
        continue;
      }
      svg.classList.add("map");
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", `Carte : ${res.title}. Valeurs dans le tableau qui suit.`);
      svg.removeAttribute("aria-labelledby");
      svg.removeAttribute("aria-describedby");
      markHighlight(svg, req.highlight);
      const heading = h("div", { class: "sr-only", role: "heading", "aria-level": String(level), id: `${mid}-h` }, res.title);
      const rows = (res.features ?? []).map((f) => {
        const fig = f.figure;
        const label =
          res.typology || !fig || fig.kind === "class"
            ? (res.legend?.[f.legend]?.label ?? "non disponible")
            : fig.text || fig.status_label || "non disponible";
        return [f.name, label];
      });
      const table = dataTable({ caption: res.title, columns: ["Territoire", res.typology ? "Classe" : "Valeur"], rows }, snap.study.name, {
        studyClass: "study",
      });
      blocks.push({ req, svg, table, level });
      nodes.push(
        h(
          "section",
          { class: "map-block", part: "map", "aria-labelledby": heading.id, "data-map": kinds[i] },
          heading,
          h("div", { class: "figure" }, svg),
          h("div", { class: "sr-only" }, ...(res.sources ?? []).map((s) => h("p", {}, s))),
          h(
            "details",
            { class: "data" },
            h("summary", {}, `Tableau des valeurs (${frenchInt.format(rows.length)} territoires)`),
            table,
          ),
        ),
      );
    }
    this.#mapBlocks = blocks.length === requests.length ? blocks : [];
    this.#ui.maps.replaceChildren(...nodes);
  }

  /**
   * When only the highlight changed (another study territory or other
   * comparisons, same maps), swaps each map's outlines group <g
   * data-outlines> for the core's (viewer.map_outlines) and moves the
   * study / comparison marks, leaving the territories' paths, the tables
   * and their open state in place. Returns false, having changed nothing,
   * when the maps must be drawn again.
   */
  #swapOutlines(snap, requests, level) {
    const blocks = this.#mapBlocks;
    const same = (a, b) => JSON.stringify({ ...a, highlight: null }) === JSON.stringify({ ...b, highlight: null });
    if (typeof this.#viewer.map_outlines !== "function" || !blocks.length || blocks.length !== requests.length) return false;
    if (!blocks.every((b, i) => b.level === level && b.svg.isConnected && same(b.req, requests[i]))) return false;
    // Every map's outlines first: one failure and all are drawn again.
    const swaps = [];
    for (const [i, req] of requests.entries()) {
      let fresh;
      try {
        const doc = importSvg(this.#viewer.map_outlines(req), `${this.#uid}-m${i}-o${++this.#outlinesCount}-`);
        fresh = outlinesGroup(doc);
      } catch {
        return false;
      }
      const old = outlinesGroup(blocks[i].svg);
      if (!fresh || !old) return false;
      swaps.push([old, fresh]);
    }
    for (const [i, [old, fresh]] of swaps.entries()) {
      const b = blocks[i];
      old.replaceWith(fresh);
      for (const el of b.svg.querySelectorAll(".study, .compare")) el.classList.remove("study", "compare");
      markHighlight(b.svg, requests[i].highlight);
      for (const tr of b.table.tBodies[0]?.rows ?? []) tr.classList.toggle("study", tr.cells[0]?.textContent === snap.study.name);
      b.req = requests[i];
    }
    return true;
  }

  #pdfJob() {
    if (!this.#viewer || !this.#snap) throw new Error("l'instantané n'est pas encore affiché");
    const study = this.#snap.study;
    const compare = this.hasAttribute("compare") ? this.#snap.comparisons.map((c) => c.key).join(",") : undefined;
    const maps = this.#mapRequests(this.#snap, this.#maps, PDF_MAP_WIDTH);
    const date = today();
    // The PDF worker lays the document out from the same pack.
    return { fileCode: study.code, date, pack: this.#packUrl, request: { code: study.key, compare, maps, date } };
  }

  #clearResults() {
    this.#ui.results.replaceChildren();
    this.#ui.results.hidden = true;
  }

  #search() {
    const { input, results } = this.#ui;
    const q = input.value.trim();
    if (!this.#viewer || q.length < 2) {
      this.#clearResults();
      return;
    }
    let hits = [];
    try {
      hits = this.#viewer.search(q, SEARCH_KINDS, 8);
    } catch {
      hits = [];
    }
    if (!hits.length) {
      results.replaceChildren(h("li", { class: "none" }, `Aucun territoire pour « ${q} »`));
      results.hidden = false;
      return;
    }
    results.replaceChildren(
      ...hits.map((hit) => {
        const where = [hit.kind_label, hit.via ? `par ${hit.via}` : (hit.departements ?? [])[0]].filter(Boolean).join(", ");
        const button = h("button", { type: "button", "data-key": hit.key }, hit.name, h("span", { class: "where" }, ` — ${where}`));
        button.addEventListener("click", () => {
          this.#clearResults();
          input.value = "";
          this.setTerritory(hit.key).catch(() => {});
          this.#ui.title.focus();
        });
        return h("li", {}, button);
      }),
    );
    results.hidden = false;
  }
}

if (!customElements.get("territory-snapshot")) customElements.define("territory-snapshot", TerritorySnapshot);

export { TerritorySnapshot };

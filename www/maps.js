// The « Cartes » section: choropleths (with proportional circles of poor
// people), the density grid and typologies, drawn as SVG by the core
// (`viewer.map(request)`), with a tooltip, click / Enter to choose the
// study territory, a roving tabindex over the territories, an accessible
// table, SVG and PNG exports, and its state in the URL:
//
//   &carte=pdl_epci|france_epci|departement_epci|pdl_communes  (&departement=44)
//   &type=choroplethe|densite|typologie
//   choropleth: &indicateur=taux_pauvrete&annee=2021&methode=quantiles
//               |intervalles|jenks|ecart_type|manuel (&seuils=10;12,5;15)
//               &classes=5&palette=<id>&cercles=1
//   typology:   &variables=taux_pauvrete:2021,taux_chomage:2022&classes=5
//               (no variables: the pack's stored typology)
//
// The parameters are written only when the map is not the default one, so
// a plain link stays `?territoire=…`.
//
// <section id="cartes" data-map-state> is "none", "ready" or "error" after
// each draw (used by tests); each update of the map leaves the performance
// measure "instantane:map" (call to DOM), a full draw also
// "instantane:map-core" (viewer.map), and a highlight change on the same
// map (study territory, comparisons), which only swaps the map's outlines
// group <g data-outlines> for the core's (viewer.map_outlines) and leaves
// the territories' paths in place, "instantane:map-highlight".

import { outlinesGroup } from "./svg-import.js";

const VIEWS = [
  ["pdl_epci", "EPCI des Pays de la Loire"],
  ["france_epci", "EPCI de France métropolitaine"],
  ["departement_epci", "EPCI d'un département"],
  ["pdl_communes", "Communes des Pays de la Loire"],
];
const TYPES = [
  ["choropleth", "choroplethe", "Carte choroplèthe d'un indicateur"],
  ["density_grid", "densite", "Grille de densité"],
  ["typology", "typologie", "Typologie des fragilités"],
];
const METHODS = [
  ["quantiles", "quantiles", "Quantiles (effectifs égaux)"],
  ["equal_intervals", "intervalles", "Intervalles égaux"],
  ["jenks", "jenks", "Seuils naturels (Jenks)"],
  ["std_dev", "ecart_type", "Moyenne ± écart type"],
  ["manual", "manuel", "Seuils manuels"],
];
const THEMES = {
  population: "Population et territoire",
  ages: "Âges",
  menages: "Ménages et familles",
  jeunesse: "Jeunesse",
  emploi: "Emploi et activité",
  logement: "Logement",
  revenus: "Revenus",
  pauvrete: "Pauvreté",
  prestations: "Prestations sociales",
};
const DEFAULTS = {
  view: "pdl_epci",
  departement: "44",
  type: "choropleth",
  indicator: "taux_pauvrete",
  year: null, // the indicator's latest year
  method: "quantiles",
  classes: 5,
  breaks: "",
  palette: "",
  circles: false,
  typoVariables: null, // null: the stored typology
  typoClasses: 5,
};
const STORED_TYPOLOGY = "fragilites";
const PDF_MAP_WIDTH = 800; // px of the map scenes sent to the PDF export
const MAP_PARAMS = ["carte", "departement", "type", "indicateur", "annee", "methode", "seuils", "classes", "palette", "cercles", "variables"];

// The 96 départements of France métropolitaine (the EPCI views).
const DEPARTEMENTS = [
  ["01", "Ain"], ["02", "Aisne"], ["03", "Allier"], ["04", "Alpes-de-Haute-Provence"], ["05", "Hautes-Alpes"],
  ["06", "Alpes-Maritimes"], ["07", "Ardèche"], ["08", "Ardennes"], ["09", "Ariège"], ["10", "Aube"], ["11", "Aude"],
  ["12", "Aveyron"], ["13", "Bouches-du-Rhône"], ["14", "Calvados"], ["15", "Cantal"], ["16", "Charente"],
  ["17", "Charente-Maritime"], ["18", "Cher"], ["19", "Corrèze"], ["2A", "Corse-du-Sud"], ["2B", "Haute-Corse"],
  ["21", "Côte-d'Or"], ["22", "Côtes-d'Armor"], ["23", "Creuse"], ["24", "Dordogne"], ["25", "Doubs"], ["26", "Drôme"],
  ["27", "Eure"], ["28", "Eure-et-Loir"], ["29", "Finistère"], ["30", "Gard"], ["31", "Haute-Garonne"], ["32", "Gers"],
  ["33", "Gironde"], ["34", "Hérault"], ["35", "Ille-et-Vilaine"], ["36", "Indre"], ["37", "Indre-et-Loire"],
  ["38", "Isère"], ["39", "Jura"], ["40", "Landes"], ["41", "Loir-et-Cher"], ["42", "Loire"], ["43", "Haute-Loire"],
  ["44", "Loire-Atlantique"], ["45", "Loiret"], ["46", "Lot"], ["47", "Lot-et-Garonne"], ["48", "Lozère"],
  ["49", "Maine-et-Loire"], ["50", "Manche"], ["51", "Marne"], ["52", "Haute-Marne"], ["53", "Mayenne"],
  ["54", "Meurthe-et-Moselle"], ["55", "Meuse"], ["56", "Morbihan"], ["57", "Moselle"], ["58", "Nièvre"], ["59", "Nord"],
  ["60", "Oise"], ["61", "Orne"], ["62", "Pas-de-Calais"], ["63", "Puy-de-Dôme"], ["64", "Pyrénées-Atlantiques"],
  ["65", "Hautes-Pyrénées"], ["66", "Pyrénées-Orientales"], ["67", "Bas-Rhin"], ["68", "Haut-Rhin"], ["69", "Rhône"],
  ["70", "Haute-Saône"], ["71", "Saône-et-Loire"], ["72", "Sarthe"], ["73", "Savoie"], ["74", "Haute-Savoie"],
  ["75", "Paris"], ["76", "Seine-Maritime"], ["77", "Seine-et-Marne"], ["78", "Yvelines"], ["79", "Deux-Sèvres"],
  ["80", "Somme"], ["81", "Tarn"], ["82", "Tarn-et-Garonne"], ["83", "Var"], ["84", "Vaucluse"], ["85", "Vendée"],
  ["86", "Vienne"], ["87", "Haute-Vienne"], ["88", "Vosges"], ["89", "Yonne"], ["90", "Territoire de Belfort"],
  ["91", "Essonne"], ["92", "Hauts-de-Seine"], ["93", "Seine-Saint-Denis"], ["94", "Val-de-Marne"], ["95", "Val-d'Oise"],
];

const frenchNumber = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 6 });

/**
 * Parses « 10 ; 12,5 ; 15 » (French or English decimals, spaces as
 * thousands separators) into numbers. Throws an Error with a French
 * message on anything else.
 */
export function parseBounds(text) {
  const parts = String(text ?? "")
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  if (!parts.length) {
    throw new Error("indiquez au moins un seuil, par exemple « 10 ; 12,5 ; 15 » (nombres séparés par des points-virgules).");
  }
  const values = parts.map((p) => {
    const clean = p.replace(/[\s\u00a0\u202f]/g, "").replace(/^−/, "-").replace(",", ".");
    const v = /^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(clean) ? Number(clean) : NaN;
    if (!Number.isFinite(v)) {
      throw new Error(`« ${p} » n'est pas un nombre : écrivez les seuils séparés par des points-virgules, par exemple « 10 ; 12,5 ; 15 ».`);
    }
    return v;
  });
  for (let i = 1; i < values.length; i++) {
    if (!(values[i] > values[i - 1])) {
      throw new Error(
        `les seuils doivent être croissants : ${frenchNumber.format(values[i])} suit ${frenchNumber.format(values[i - 1])}.`,
      );
    }
  }
  if (values.length + 1 > 9) throw new Error(`${values.length + 1} classes : 9 au maximum (8 seuils).`);
  if (values.length + 1 < 2) throw new Error("au moins un seuil.");
  return values;
}

export function formatBounds(values) {
  return values.map((v) => frenchNumber.format(v)).join(" ; ");
}

/**
 * Wires the section. `ctx`: { viewer() → the core's Viewer or null,
 * highlight() → [study key, comparison keys…], select(key) → bool (the
 * page's selection: snapshot + URL), importSvg(text, prefix), h(),
 * messageOf(err) }.
 */
export function createMaps(ctx) {
  const $ = (id) => document.getElementById(id);
  const { h } = ctx;
  const ui = {
    section: $("cartes"),
    form: $("map-form"),
    view: $("map-view"),
    depWrap: $("map-dep-wrap"),
    dep: $("map-dep"),
    type: $("map-type"),
    choro: $("map-choro"),
    indicator: $("map-indicator"),
    year: $("map-year"),
    method: $("map-method"),
    breaksWrap: $("map-breaks-wrap"),
    breaks: $("map-breaks"),
    classesWrap: $("map-classes-wrap"),
    classes: $("map-classes"),
    palette: $("map-palette"),
    paletteWrap: $("map-palette-wrap"),
    circles: $("map-circles"),
    typo: $("map-typo"),
    vars: $("map-vars"),
    typoClasses: $("map-typo-classes"),
    recompute: $("map-recompute"),
    typoReset: $("map-typo-reset"),
    error: $("map-error"),
    status: $("map-status"),
    title: $("map-title"),
    canvas: $("map-canvas"),
    tooltip: $("map-tooltip"),
    sources: $("map-sources"),
    typology: $("map-typology"),
    typologyMeta: $("map-typology-meta"),
    profiles: $("map-profiles"),
    typoTable: $("map-typology-classes"),
    exportSvg: $("map-export-svg"),
    exportPng: $("map-export-png"),
    data: $("map-data"),
    dataWrap: $("map-data-wrap"),
  };

  const state = { ...DEFAULTS };
  let indicators = []; // [{ id, label, unit, years: [newest … oldest] }]
  let byId = new Map();
  let current = null; // { request, response, features: Map, nodes: Map, order: [] }
  let drawCount = 0;
  let outlinesCount = 0;
  let pendingHighlight = null;
  let active = null; // key of the roving tabindex stop
  let available = true;

  // ---- indicators and palettes ----------------------------------------------

  function normaliseIndicators(raw) {
    const list = Array.isArray(raw) ? raw : (raw?.indicators ?? []);
    return list
      .map((i) => ({
        id: i.id ?? i.indicator,
        label: i.label ?? i.id ?? i.indicator,
        unit: i.unit ?? "",
        theme: THEMES[i.theme] ?? i.theme ?? "",
        years: [...(i.years ?? [])].map(Number).sort((a, b) => b - a),
      }))
      .filter((i) => i.id && i.years.length);
  }


  function fillIndicators() {
    const v = ctx.viewer();
    try {
      indicators = normaliseIndicators(v.map_indicators());
    } catch (err) {
      indicators = [];
      showError(`Liste des indicateurs indisponible : ${ctx.messageOf(err)}`);
    }
    byId = new Map(indicators.map((i) => [i.id, i]));
    const groups = new Map();
    for (const i of indicators) {
      if (!groups.has(i.theme)) groups.set(i.theme, []);
      groups.get(i.theme).push(h("option", { value: i.id }, i.label));
    }
    ui.indicator.replaceChildren(
      ...[...groups].flatMap(([theme, options]) => (theme ? [h("optgroup", { label: theme }, options)] : options)),
    );
    // The core lists its palettes; the qualitative one is for classes
    // (typologies, density grid), not for a choropleth.
    const palettes = v.map_palettes().filter((p) => p.kind !== "qualitative");
    ui.palette.replaceChildren(
      h("option", { value: "" }, "Selon l'indicateur (par défaut)"),
      ...palettes.map((p) => h("option", { value: p.id }, p.name)),
    );
    ui.paletteWrap.hidden = palettes.length === 0;
  }

  function fillYears() {
    const ind = byId.get(state.indicator);
    const years = ind?.years ?? [];
    ui.year.replaceChildren(...years.map((y, i) => h("option", { value: y }, i === 0 ? `${y} (le plus récent)` : String(y))));
    ui.year.value = String(state.year ?? years[0] ?? "");
  }

  // ---- controls ⇄ state ---------------------------------------------------------

  function setupStatic() {
    ui.view.replaceChildren(...VIEWS.map(([id, label]) => h("option", { value: id }, label)));
    ui.dep.replaceChildren(...DEPARTEMENTS.map(([code, name]) => h("option", { value: code }, `${code} — ${name}`)));
    ui.type.replaceChildren(...TYPES.map(([id, , label]) => h("option", { value: id }, label)));
    ui.method.replaceChildren(...METHODS.map(([id, , label]) => h("option", { value: id }, label)));
    ui.classes.replaceChildren(...[3, 4, 5, 6, 7, 8, 9].map((k) => h("option", { value: k }, String(k))));
    ui.typoClasses.replaceChildren(...[4, 5, 6, 7].map((k) => h("option", { value: k }, String(k))));
  }

  function syncControls() {
    ui.view.value = state.view;
    ui.dep.value = state.departement;
    ui.depWrap.hidden = state.view !== "departement_epci";
    ui.type.value = state.type;
    ui.choro.hidden = state.type !== "choropleth";
    ui.typo.hidden = state.type !== "typology";
    ui.indicator.value = state.indicator;
    fillYears();
    ui.method.value = state.method;
    const manual = state.method === "manual";
    ui.breaksWrap.hidden = !manual;
    ui.classesWrap.hidden = manual;
    if (ui.breaks.value !== state.breaks) ui.breaks.value = state.breaks;
    ui.classes.value = String(state.classes);
    ui.palette.value = state.palette;
    if (ui.palette.value !== state.palette) ui.palette.value = "";
    ui.circles.checked = state.circles;
    ui.typoClasses.value = String(state.typoClasses);
    ui.typoReset.hidden = state.typoVariables === null;
  }

  /** The typology's variable checkboxes: the drawn typology's variables
   * first (checked), then every other indicator. */
  function fillVariables(checked) {
    const checkedIds = new Map(checked.map((v) => [v.indicator, v.year]));
    const first = checked.map((v) => byId.get(v.indicator) ?? { id: v.indicator, label: v.label ?? v.indicator, years: v.year ? [v.year] : [] });
    const rest = indicators.filter((i) => !checkedIds.has(i.id));
    const box = (ind, on) => {
      const id = `map-var-${ind.id.replace(/[^A-Za-z0-9_-]/g, "_")}`;
      const year = on ? checkedIds.get(ind.id) : null;
      const yearText = year ?? ind.years?.[0];
      return h(
        "li",
        {},
        h("input", { type: "checkbox", id, value: ind.id, "data-year": year ?? "", checked: on }),
        h("label", { for: id }, ind.label, yearText ? h("span", { class: "map-var-year" }, ` (${yearText})`) : ""),
      );
    };
    ui.vars.replaceChildren(...first.map((i) => box(i, true)), ...rest.map((i) => box(i, false)));
  }

  function checkedVariables() {
    return [...ui.vars.querySelectorAll("input[type=checkbox]:checked")].map((c) => ({
      indicator: c.value,
      year: c.dataset.year ? Number(c.dataset.year) : null,
    }));
  }

  // ---- URL ---------------------------------------------------------------------

  function methodUrl(id) {
    return METHODS.find((m) => m[0] === id)?.[1] ?? id;
  }
  function methodFromUrl(v) {
    return METHODS.find((m) => m[1] === v || m[0] === v)?.[0] ?? null;
  }

  function isDefault() {
    return (
      state.view === DEFAULTS.view &&
      state.type === DEFAULTS.type &&
      state.indicator === DEFAULTS.indicator &&
      state.year === null &&
      state.method === DEFAULTS.method &&
      state.classes === DEFAULTS.classes &&
      !state.palette &&
      !state.circles
    );
  }

  function writeUrl() {
    const params = new URLSearchParams(location.search);
    for (const p of MAP_PARAMS) params.delete(p);
    if (!isDefault()) {
      params.set("carte", state.view);
      if (state.view === "departement_epci") params.set("departement", state.departement);
      if (state.type !== "choropleth") params.set("type", TYPES.find((t) => t[0] === state.type)[1]);
      if (state.type === "choropleth") {
        params.set("indicateur", state.indicator);
        const year = state.year ?? byId.get(state.indicator)?.years[0];
        if (year) params.set("annee", String(year));
        params.set("methode", methodUrl(state.method));
        if (state.method === "manual") params.set("seuils", state.breaks);
        else params.set("classes", String(state.classes));
        if (state.palette) params.set("palette", state.palette);
        if (state.circles) params.set("cercles", "1");
      } else if (state.type === "typology" && state.typoVariables) {
        params.set("variables", state.typoVariables.map((v) => (v.year ? `${v.indicator}:${v.year}` : v.indicator)).join(","));
        params.set("classes", String(state.typoClasses));
      }
    }
    const query = params.toString().replace(/%3A/gi, ":").replace(/%2C/gi, ",").replace(/%3B/gi, ";");
    const url = `${location.pathname}${query ? `?${query}` : ""}`;
    if (url !== `${location.pathname}${location.search}`) history.replaceState(history.state, "", url);
  }

  function readUrl() {
    const p = new URLSearchParams(location.search);
    Object.assign(state, DEFAULTS);
    const view = p.get("carte");
    if (VIEWS.some(([id]) => id === view)) state.view = view;
    const dep = p.get("departement")?.toUpperCase();
    if (dep && DEPARTEMENTS.some(([c]) => c === dep)) state.departement = dep;
    const type = TYPES.find((t) => t[1] === p.get("type") || t[0] === p.get("type"));
    if (type) state.type = type[0];
    const ind = p.get("indicateur");
    if (ind && byId.has(ind)) state.indicator = ind;
    const year = Number(p.get("annee"));
    if (year && byId.get(state.indicator)?.years.includes(year)) state.year = year;
    const method = methodFromUrl(p.get("methode"));
    if (method) state.method = method;
    if (state.method === "manual") state.breaks = p.get("seuils") ?? "";
    const classes = Number(p.get("classes"));
    if (state.type === "typology") {
      if (classes >= 4 && classes <= 7) state.typoClasses = classes;
      const vars = p.get("variables");
      if (vars) {
        state.typoVariables = vars
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
          .map((s) => {
            const [indicator, y] = s.split(":");
            return { indicator, year: y ? Number(y) : null };
          });
      }
    } else if (classes >= 3 && classes <= 9) {
      state.classes = classes;
    }
    state.palette = p.get("palette") ?? "";
    state.circles = p.get("cercles") === "1";
  }

  // ---- drawing ----------------------------------------------------------------------

  function viewPart() {
    return state.view === "departement_epci" ? { view: state.view, departement: state.departement } : { view: state.view };
  }

  /** The layer of `type` for the current state; throws (French) on bad input. */
  function layerOf(type) {
    let layer;
    if (type === "choropleth") {
      let method = { method: state.method };
      let classes = state.classes;
      if (state.method === "manual") {
        let breaks;
        try {
          breaks = parseBounds(state.breaks);
        } catch (err) {
          throw new Error(`Seuils manuels : ${err.message}`);
        }
        method = { method: "manual", breaks };
        classes = breaks.length + 1;
      }
      layer = {
        kind: "choropleth",
        indicator: state.indicator,
        year: state.year ?? byId.get(state.indicator)?.years[0] ?? null,
        method,
        classes,
        palette: state.palette || null,
        circles: state.circles,
      };
    } else if (type === "density_grid") {
      layer = { kind: "density_grid" };
    } else {
      const custom = state.typoVariables;
      layer = {
        kind: "typology",
        id: custom ? null : STORED_TYPOLOGY,
        variables: custom ?? [],
        classes: state.typoClasses,
      };
    }
    return layer;
  }

  function requestOf(layer, width) {
    const ratio = state.view === "france_epci" ? 1 : 0.8;
    return { ...viewPart(), layer, highlight: ctx.highlight(), width, height: Math.round(width * ratio) };
  }

  /** The request for the current state; throws (French) on bad input. */
  function request() {
    const width = Math.round(Math.min(960, Math.max(320, ui.canvas.clientWidth || 800)));
    return requestOf(layerOf(state.type), width);
  }

  function showError(text) {
    ui.error.textContent = text;
    ui.error.hidden = !text;
  }

  function setMapState(s) {
    ui.section.dataset.mapState = s;
  }

  /** Draws the map for the current state. Returns true when drawn. */
  function draw({ url = true } = {}) {
    clearTimeout(pendingHighlight);
    pendingHighlight = null;
    if (url) writeUrl();
    const v = ctx.viewer();
    if (!v) return false;
    if (!available || typeof v.map !== "function") {
      available = false;
      showError("Les cartes ne sont pas disponibles avec cette version du moteur de la visionneuse.");
      placeholder("Carte indisponible.");
      setMapState("error");
      return false;
    }
    let req;
    let res;
    const t0 = performance.now();
    let t1;
    try {
      req = request();
      res = v.map(req);
      t1 = performance.now();
    } catch (err) {
      showError(`Carte impossible : ${ctx.messageOf(err).replace(/^Carte impossible : /i, "")}`);
      if (!current) placeholder("Aucune carte à afficher : modifiez les réglages ci-dessus.");
      ui.status.textContent = "";
      setMapState("error");
      return false;
    }
    const hadFocus = ui.canvas.contains(document.activeElement) ? document.activeElement.dataset.id : null;
    const svg = ctx.importSvg(res.svg, `map${++drawCount}-`);
    if (!svg) {
      showError("Carte impossible : le dessin renvoyé par le moteur est illisible.");
      if (!current) placeholder("Carte illisible.");
      setMapState("error");
      return false;
    }
    showError("");
    install(req, res, svg);
    if (hadFocus && current.nodes.has(hadFocus)) focusKey(hadFocus);
    const t2 = performance.now();
    try {
      performance.measure("instantane:map-core", { start: t0, end: t1 });
      performance.measure("instantane:map", { start: t0, end: t2 });
    } catch {
      // no User Timing level 3: nothing else changes
    }
    setMapState("ready");
    return true;
  }

  /** The same map but for its highlight (view, layer, size). */
  function sameMap(a, b) {
    return JSON.stringify({ ...a, highlight: null }) === JSON.stringify({ ...b, highlight: null });
  }

  /**
   * Only the highlight changed on the map on screen: puts the core's new
   * outlines group in place of the old one (same z-position), moves the
   * study / comparison classes and the table's study row; every other node
   * (territories, focus, roving tabindex, tooltip) stays. Returns false,
   * having changed nothing, when a full draw is needed.
   */
  function swapHighlight() {
    const v = ctx.viewer();
    if (!current || !available || !v || typeof v.map_outlines !== "function") return false;
    let req;
    try {
      req = request();
    } catch {
      return false; // the full draw says why
    }
    if (!sameMap(req, current.request)) return false;
    const old = outlinesGroup(current.svg);
    if (!old) return false;
    const t0 = performance.now();
    let text;
    try {
      text = v.map_outlines(req);
    } catch {
      return false;
    }
    const doc = ctx.importSvg(text, `map${drawCount}-o${++outlinesCount}-`);
    const fresh = outlinesGroup(doc);
    if (!fresh) return false;
    old.replaceWith(fresh);
    const before = current.request.highlight;
    const study = req.highlight[0];
    for (const key of before) current.nodes.get(key)?.classList.remove("map-study", "map-compare");
    for (const key of req.highlight) current.nodes.get(key)?.classList.add(key === study ? "map-study" : "map-compare");
    const rows = ui.dataWrap.querySelector("table.map-table")?.tBodies[0]?.rows;
    if (rows) {
      const row = (key) => rows[current.response.features.findIndex((f) => f.key === key)];
      row(before[0])?.classList.remove("row-study");
      row(study)?.classList.add("row-study");
    }
    current.request = req;
    current.outlines = text; // for the exports, see svgText()
    showError("");
    const t1 = performance.now();
    try {
      performance.measure("instantane:map-highlight", { start: t0, end: t1 });
      performance.measure("instantane:map", { start: t0, end: t1 });
    } catch {
      // no User Timing level 3
    }
    setMapState("ready");
    return true;
  }

  /** The map's SVG text as on screen (the exports): the core's, with the
   * outlines swapped in since (its group holds paths only: it ends at the
   * first </g>). */
  function svgText() {
    if (current.outlines) {
      const group = (text) => {
        const start = text.indexOf("<g data-outlines=");
        const end = start < 0 ? -1 : text.indexOf("</g>", start);
        return end < 0 ? null : [start, end + 4];
      };
      const [a, b] = group(current.response.svg) ?? [];
      const [c, d] = group(current.outlines) ?? [];
      if (a !== undefined && c !== undefined) {
        current.response.svg = current.response.svg.slice(0, a) + current.outlines.slice(c, d) + current.response.svg.slice(b);
      }
      current.outlines = null;
    }
    return current.response.svg;
  }

  function placeholder(text) {
    current = null;
    ui.canvas.replaceChildren(h("p", { class: "map-placeholder" }, text));
    ui.title.textContent = "";
    ui.sources.replaceChildren();
    ui.typology.hidden = true;
    ui.dataWrap.replaceChildren();
    ui.exportSvg.disabled = true;
    ui.exportPng.disabled = true;
    hideTooltip();
  }

  function labelOf(feature, res) {
    const figure = feature.figure;
    if (res.typology || !figure || figure.kind === "class") {
      const entry = res.legend[feature.legend];
      return entry ? entry.label : "non disponible";
    }
    return figure.text || figure.status_label || "non disponible";
  }

  function install(req, res, svg) {
    const features = new Map(res.features.map((f) => [f.key, f]));
    const nodes = new Map();
    for (const el of svg.querySelectorAll("[data-id]")) {
      const key = el.getAttribute("data-id");
      if (!features.has(key)) continue;
      const prev = nodes.get(key);
      // One focus stop per territory: its area, not a circle over it.
      if (!prev || (prev.localName !== "path" && el.localName === "path")) nodes.set(key, el);
    }
    const order = res.features.map((f) => f.key).filter((k) => nodes.has(k));
    const study = req.highlight[0];
    if (!active || !nodes.has(active)) active = nodes.has(study) ? study : (order[0] ?? null);
    for (const key of order) {
      const el = nodes.get(key);
      const f = features.get(key);
      el.setAttribute("tabindex", key === active ? "0" : "-1");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", `${f.name} : ${labelOf(f, res)}`);
      el.classList.add("map-area");
      if (req.highlight.includes(key)) el.classList.add(key === study ? "map-study" : "map-compare");
    }
    svg.classList.add("map");
    svg.setAttribute("role", "group");
    svg.removeAttribute("focusable");
    ui.canvas.replaceChildren(svg);
    current = { request: req, response: res, features, nodes, order, svg };

    ui.title.textContent = res.title;
    ui.sources.replaceChildren(...(res.sources ?? []).map((s) => h("span", { class: "map-source" }, s)));
    ui.exportSvg.disabled = false;
    ui.exportPng.disabled = false;
    ui.section.dataset.classes = String(res.breaks?.length ? res.breaks.length - 1 : (res.typology?.classes?.length ?? 0));
    ui.section.dataset.breaks = (res.breaks ?? []).join(";");
    renderTypology(res);
    if (ui.data.open) renderTable();
    else ui.dataWrap.replaceChildren();
    const n = order.length;
    let note = "";
    const drawn = res.breaks?.length ? res.breaks.length - 1 : 0;
    if (req.layer.kind === "choropleth" && drawn && drawn < req.layer.classes) {
      note =
        req.layer.method.method === "std_dev"
          ? ` ${drawn} classes au lieu de ${req.layer.classes} : les bornes au-delà des valeurs extrêmes sont omises.`
          : ` ${drawn} classes au lieu de ${req.layer.classes} : les valeurs ne permettent pas davantage de classes distinctes.`;
    }
    ui.status.textContent = `Carte affichée : ${res.title} (${n} ${n > 1 ? "territoires" : "territoire"}).${note}`;
    hideTooltip();
  }

  function swatch(entry) {
    const SVG_NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("class", "map-swatch");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    const rect = document.createElementNS(SVG_NS, "rect");
    rect.setAttribute("x", "0.5");
    rect.setAttribute("y", "0.5");
    rect.setAttribute("width", "15");
    rect.setAttribute("height", "15");
    rect.setAttribute("fill", /^#[0-9a-fA-F]{3,8}$/.test(entry?.color ?? "") ? entry.color : "#ffffff");
    rect.setAttribute("stroke", "#4a5360");
    svg.append(rect);
    if (entry?.hatched) {
      const line = document.createElementNS(SVG_NS, "path");
      line.setAttribute("d", "M0 16L16 0M-4 4L4 -4M12 20L20 12");
      line.setAttribute("stroke", "#4a5360");
      svg.append(line);
    }
    return svg;
  }

  function renderTypology(res) {
    const t = res.typology;
    if (!t) {
      ui.typology.hidden = true;
      return;
    }
    ui.typology.hidden = false;
    const vars = (t.variables ?? []).map(([, label, year]) => `${label} (${year})`);
    ui.typologyMeta.replaceChildren(
      h("p", { class: "meta" }, `${t.label} : ${t.classes.length} classes, ${vars.length} variables (${vars.join(" ; ")}).`),
      t.method ? h("details", { class: "map-method" }, h("summary", { id: "map-method-summary" }, "Méthode de la typologie"), h("p", {}, t.method)) : "",
    );
    const profiles = ctx.importSvg(t.profiles_svg, `map${drawCount}-prof-`);
    ui.profiles.replaceChildren(profiles ?? h("p", { class: "map-placeholder" }, "Profils indisponibles."));
    const table = h("table", { class: "data map-classes-table" });
    table.createCaption().textContent = "Classes de la typologie";
    const head = table.createTHead().insertRow();
    head.append(
      h("th", { scope: "col" }, "Classe"),
      h("th", { scope: "col" }, "Territoires classés"),
      h("th", { scope: "col" }, "Sur la carte"),
    );
    for (const [, label] of t.variables ?? []) head.append(h("th", { scope: "col" }, label));
    const body = table.createTBody();
    const fmt = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
    t.classes.forEach((c, i) => {
      const tr = body.insertRow();
      const entry = res.legend[i];
      tr.append(
        h("th", { scope: "row" }, swatch(entry), " ", entry?.label ?? c.label),
        h("td", {}, frenchNumber.format(c.size)),
        h("td", {}, entry ? frenchNumber.format(entry.count) : ""),
      );
      for (const v of c.profile ?? []) tr.append(h("td", {}, fmt.format(v)));
    });
    const note = h("p", { class: "hint" }, "Profils : moyenne de chaque variable dans la classe, en écarts types à la moyenne des territoires.");
    ui.typoTable.replaceChildren(h("div", { class: "table-wrap" }, table), note);
    // The checkboxes follow the drawn typology.
    fillVariables(
      (t.variables ?? []).map(([indicator, label, year]) => ({ indicator, label, year })),
    );
    if (!state.typoVariables) {
      const k = t.classes.length;
      if (k >= 4 && k <= 7) {
        state.typoClasses = k;
        ui.typoClasses.value = String(k);
      }
    }
  }

  function renderTable() {
    if (!current) return;
    const { response: res, order, features, request: req } = current;
    const table = h("table", { class: "data map-table" });
    table.createCaption().textContent = res.title;
    const head = table.createTHead().insertRow();
    head.append(
      h("th", { scope: "col" }, "Territoire"),
      h("th", { scope: "col" }, res.typology ? "Classe" : "Valeur"),
      h("th", { scope: "col" }, res.typology ? "" : "Classe"),
    );
    if (res.typology) head.lastChild.remove();
    const body = table.createTBody();
    for (const key of res.features.map((f) => f.key)) {
      const f = features.get(key);
      const tr = body.insertRow();
      const legend = res.legend[f.legend]?.label ?? "";
      tr.append(h("th", { scope: "row" }, f.name));
      if (res.typology) tr.append(h("td", {}, legend));
      else tr.append(h("td", {}, f.figure?.text || f.figure?.status_label || "non disponible"), h("td", {}, legend));
      if (key === req.highlight[0]) tr.className = "row-study";
    }
    const legend = h("table", { class: "data map-legend-table" });
    legend.createCaption().textContent = "Légende";
    const lh = legend.createTHead().insertRow();
    lh.append(h("th", { scope: "col" }, "Classe"), h("th", { scope: "col" }, "Territoires"));
    const lb = legend.createTBody();
    for (const e of res.legend) {
      const tr = lb.insertRow();
      tr.append(h("th", { scope: "row" }, swatch(e), " ", e.label), h("td", {}, frenchNumber.format(e.count)));
    }
    void order;
    // The territories' table scrolls inside its box: a focus stop (named
    // region) lets the keyboard scroll it too.
    const scroller = h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `Tableau : ${res.title}` }, table);
    ui.dataWrap.replaceChildren(h("div", { class: "table-wrap" }, legend), scroller);
  }

  // ---- tooltip, selection, keyboard --------------------------------------------------

  function featureAt(target) {
    if (!current) return null;
    const el = target?.closest?.("[data-id]");
    if (!el || !ui.canvas.contains(el)) return null;
    const f = current.features.get(el.getAttribute("data-id"));
    return f ? { el, f } : null;
  }

  function showTooltip(f, x, y) {
    const name = h("strong", { class: "map-tooltip-name" }, f.name);
    const value = h("span", { class: "map-tooltip-value" }, labelOf(f, current.response));
    const extra = current.response.typology || !f.figure || f.figure.kind === "class" ? null : current.response.legend[f.legend]?.label;
    ui.tooltip.replaceChildren(name, value, extra ? h("span", { class: "map-tooltip-class" }, extra) : "");
    ui.tooltip.hidden = false;
    const box = ui.tooltip.parentElement.getBoundingClientRect();
    const tw = ui.tooltip.offsetWidth;
    const left = Math.max(0, Math.min(x + 14, box.width - tw));
    const top = y + 18;
    ui.tooltip.style.left = `${left}px`; // CSSOM, allowed by the CSP (not a style attribute)
    ui.tooltip.style.top = `${top}px`;
  }

  function hideTooltip() {
    ui.tooltip.hidden = true;
  }

  function focusKey(key) {
    if (!current) return;
    const el = current.nodes.get(key);
    if (!el) return;
    const prev = current.nodes.get(active);
    if (prev && prev !== el) prev.setAttribute("tabindex", "-1");
    active = key;
    el.setAttribute("tabindex", "0");
    el.focus({ preventScroll: false });
  }

  function choose(key) {
    if (!current) return;
    const f = current.features.get(key);
    if (!f) return;
    active = key;
    let target = key;
    let note = "";
    if (key.startsWith("com:")) {
      // The page studies EPCI, départements, régions: a commune leads to its EPCI.
      try {
        const epci = ctx.viewer().territory(key)?.epci;
        if (epci) {
          target = epci;
          note = ` (intercommunalité de ${f.name})`;
        }
      } catch {
        // keep the commune: the page says why if it cannot show it
      }
    }
    if (ctx.select(target)) {
      ui.status.textContent = `Territoire d'étude : ${ctx.studyName() ?? f.name}${note}. Son instantané est affiché au-dessus.`;
    }
  }

  ui.canvas.addEventListener("pointermove", (e) => {
    const hit = featureAt(e.target);
    if (!hit) return hideTooltip();
    const box = ui.tooltip.parentElement.getBoundingClientRect();
    showTooltip(hit.f, e.clientX - box.left, e.clientY - box.top);
  });
  ui.canvas.addEventListener("pointerleave", hideTooltip);
  ui.canvas.addEventListener("click", (e) => {
    const hit = featureAt(e.target);
    if (hit) choose(hit.f.key);
  });
  ui.canvas.addEventListener("focusin", (e) => {
    const hit = featureAt(e.target);
    if (!hit) return;
    if (active !== hit.f.key) focusKey(hit.f.key);
    const box = ui.tooltip.parentElement.getBoundingClientRect();
    const r = hit.el.getBoundingClientRect();
    // Below the area, so that the outline stays visible.
    showTooltip(hit.f, r.left - box.left + r.width / 2 - 14, r.bottom - box.top - 8);
  });
  ui.canvas.addEventListener("focusout", (e) => {
    if (!ui.canvas.contains(e.relatedTarget)) hideTooltip();
  });
  ui.canvas.addEventListener("keydown", (e) => {
    const hit = featureAt(e.target);
    if (!hit || !current) return;
    const order = current.order;
    const i = order.indexOf(hit.f.key);
    let next = null;
    switch (e.key) {
      case "ArrowRight":
      case "ArrowDown":
        next = order[(i + 1) % order.length];
        break;
      case "ArrowLeft":
      case "ArrowUp":
        next = order[(i - 1 + order.length) % order.length];
        break;
      case "Home":
        next = order[0];
        break;
      case "End":
        next = order[order.length - 1];
        break;
      case "Enter":
      case " ":
        e.preventDefault();
        choose(hit.f.key);
        return;
      case "Escape":
        hideTooltip();
        return;
      default:
        return;
    }
    e.preventDefault();
    focusKey(next);
  });

  ui.data.addEventListener("toggle", () => {
    if (ui.data.open) renderTable();
  });

  // ---- exports ----------------------------------------------------------------------

  function fileBase() {
    if (!current) return "carte";
    const req = current.request;
    const view = req.view === "departement_epci" ? `departement-${req.departement}` : req.view;
    const layer = req.layer;
    const what =
      layer.kind === "choropleth" ? layer.indicator : layer.kind === "density_grid" ? "grille_densite" : (layer.id ?? "typologie");
    return `carte-${view}-${what}`.replace(/[^A-Za-z0-9_.-]/g, "_");
  }

  function download(blob, name) {
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function svgSize(text) {
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    let w = parseFloat(root.getAttribute("width"));
    let hh = parseFloat(root.getAttribute("height"));
    const vb = (root.getAttribute("viewBox") ?? "").split(/[\s,]+/).map(Number);
    if (!(w > 0 && hh > 0) && vb.length === 4) [w, hh] = [vb[2], vb[3]];
    return { width: w > 0 ? w : 800, height: hh > 0 ? hh : 600 };
  }

  ui.exportSvg.addEventListener("click", () => {
    if (!current) return;
    download(new Blob([svgText()], { type: "image/svg+xml;charset=utf-8" }), `${fileBase()}.svg`);
    ui.status.textContent = "Carte téléchargée au format SVG.";
  });

  ui.exportPng.addEventListener("click", async () => {
    if (!current) return;
    const text = svgText();
    const name = `${fileBase()}.png`;
    ui.exportPng.disabled = true;
    const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml;charset=utf-8" }));
    try {
      const img = new Image();
      img.decoding = "async";
      const loaded = new Promise((ok, fail) => {
        img.onload = ok;
        img.onerror = () => fail(new Error("le navigateur n'a pas pu lire le dessin de la carte"));
      });
      img.src = url;
      await loaded;
      const { width, height } = svgSize(text);
      const scale = 2;
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      const g = canvas.getContext("2d");
      g.fillStyle = "#ffffff";
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.drawImage(img, 0, 0, canvas.width, canvas.height);
      const blob = await new Promise((ok, fail) =>
        canvas.toBlob((b) => (b ? ok(b) : fail(new Error("l'image n'a pas pu être produite"))), "image/png"),
      );
      download(blob, name);
      ui.status.textContent = `Carte téléchargée au format PNG (${canvas.width} × ${canvas.height} pixels).`;
    } catch (err) {
      showError(`Export PNG impossible : ${ctx.messageOf(err)}`);
    } finally {
      URL.revokeObjectURL(url);
      ui.exportPng.disabled = false;
    }
  });

  // ---- control events --------------------------------------------------------------

  ui.form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (state.type === "typology") recompute();
    else draw();
  });
  ui.view.addEventListener("change", () => {
    state.view = ui.view.value;
    ui.depWrap.hidden = state.view !== "departement_epci";
    active = null;
    draw();
  });
  ui.dep.addEventListener("change", () => {
    state.departement = ui.dep.value;
    active = null;
    draw();
  });
  ui.type.addEventListener("change", () => {
    state.type = ui.type.value;
    syncControls();
    draw();
  });
  ui.indicator.addEventListener("change", () => {
    state.indicator = ui.indicator.value;
    state.year = null;
    fillYears();
    if (state.method === "manual") state.breaks = "";
    draw();
    if (state.method === "manual" && !state.breaks) ui.breaks.focus();
  });
  ui.year.addEventListener("change", () => {
    const y = Number(ui.year.value);
    state.year = y === byId.get(state.indicator)?.years[0] ? null : y;
    draw();
  });
  ui.method.addEventListener("change", () => {
    state.method = ui.method.value;
    if (state.method === "manual" && !state.breaks && current?.response.breaks?.length > 2) {
      // Start from the bounds on screen.
      state.breaks = formatBounds(current.response.breaks.slice(1, -1));
    }
    syncControls();
    draw();
  });
  ui.breaks.addEventListener("change", () => {
    state.breaks = ui.breaks.value;
    draw();
  });
  ui.classes.addEventListener("change", () => {
    state.classes = Number(ui.classes.value);
    draw();
  });
  ui.palette.addEventListener("change", () => {
    state.palette = ui.palette.value;
    draw();
  });
  ui.circles.addEventListener("change", () => {
    state.circles = ui.circles.checked;
    draw();
  });

  function recompute() {
    const vars = checkedVariables();
    if (vars.length < 2) {
      showError("Typologie : cochez au moins deux variables.");
      return false;
    }
    state.typoVariables = vars;
    state.typoClasses = Number(ui.typoClasses.value);
    ui.typoReset.hidden = false;
    const t0 = performance.now();
    const ok = draw();
    if (ok) {
      try {
        performance.measure("instantane:typology", { start: t0, end: performance.now() });
      } catch {
        // no User Timing level 3
      }
    }
    return ok;
  }
  ui.recompute.addEventListener("click", recompute);
  ui.typoReset.addEventListener("click", () => {
    state.typoVariables = null;
    ui.typoReset.hidden = true;
    draw();
  });

  setupStatic();

  return {
    /** Called once the core is loaded. */
    start() {
      const v = ctx.viewer();
      if (!v || typeof v.map !== "function" || typeof v.map_indicators !== "function") {
        available = false;
        ui.section.hidden = false;
        ui.form.hidden = true;
        showError("Les cartes ne sont pas disponibles avec cette version du moteur de la visionneuse.");
        placeholder("Carte indisponible.");
        setMapState("error");
        return;
      }
      fillIndicators();
      readUrl();
      syncControls();
      ui.section.hidden = false;
      draw({ url: false });
    },
    /** The URL changed (back / forward). */
    restoreFromUrl() {
      if (!available) return;
      readUrl();
      syncControls();
      // Back / forward to another territory on the same map: its outlines.
      clearTimeout(pendingHighlight);
      pendingHighlight = null;
      if (!swapHighlight()) draw({ url: false });
    },
    /** The maps for the PDF export: the one on screen first, then the
     * choropleth and the typology as their controls stand (a setting that
     * cannot be drawn, e.g. unfinished manual breaks, is left out), at a
     * fixed width so the document does not depend on the window. */
    pdfRequests() {
      if (!available || !ctx.viewer()) return [];
      const types = [state.type, ...["choropleth", "typology"].filter((t) => t !== state.type)];
      const out = [];
      for (const type of types) {
        try {
          out.push(requestOf(layerOf(type), PDF_MAP_WIDTH));
        } catch {
          // not drawable as set: the PDF goes without it
        }
      }
      return out;
    },
    /** The study territory or the comparisons changed: once the snapshot
     * is on screen, swap the map's outlines (a full draw if the map itself
     * must change too). */
    highlightChanged() {
      if (!available || !ctx.viewer()) return;
      const want = ctx.highlight().join(",");
      if (current && current.request.highlight.join(",") === want) return;
      if (pendingHighlight) return;
      pendingHighlight = setTimeout(() => {
        pendingHighlight = null;
        if (!swapHighlight()) draw({ url: false });
      }, 0);
    },
  };
}

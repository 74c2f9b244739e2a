// The snapshot page: starts the WebAssembly core, loads the data pack, lets
// the user pick a study territory and its comparison territories, and shows
// the nine infographics the core draws (SVG), each with its data table, its
// CSV download and a comment box. Plain DOM, no framework; every figure's
// text comes formatted (in French) from the core.
//
// The view lives in the URL: ?territoire=<code or key>&comparer=<codes or
// keys, comma separated> (no `comparer`: the default comparisons; an empty
// `comparer=`: none). Comments are kept per study territory in
// localStorage.
//
// The « Cartes » section (www/maps.js) adds its own parameters (carte=,
// indicateur=…) and follows the study territory and the comparisons.
//
// <body data-state> is "loading", then "ready" or "error" (used by tests).
// Each territory switch leaves performance measures "instantane:snapshot"
// (the core call) and "instantane:render" (core call to DOM updated).

import { createMaps } from "./maps.js";
import { createPdfExport, today } from "./pdf-export.js";
import { dataTable, h } from "./dom.js";
import { aspectRatio, importSvg, infographicSvg } from "./svg-import.js";
import { describe } from "./describe.js";
import { createEmbedSnippet } from "./embed-snippet.js";

const STUDY_KINDS = "epci,dep,reg,pays";
const COMPARE_KINDS = "epci,dep,reg,pays";
const LIMIT = 10;
const MAX_COMPARISONS = 5;
const PARAM_STUDY = "territoire";
const PARAM_COMPARE = "comparer";
const STORAGE_PREFIX = "instantane:v1:";
const SAVE_DELAY_MS = 400;
const BASE_TITLE = "Instantané territorial";
const HOME_TITLE = document.title;

const $ = (id) => document.getElementById(id);
const ui = {
  input: $("q"),
  list: $("results"),
  status: $("status"),
  error: $("error"),
  warning: $("warning"),
  fiche: $("fiche"),
  chips: $("chips"),
  chipsEmpty: $("chips-empty"),
  compareInput: $("cq"),
  compareList: $("compare-results"),
  compareStatus: $("compare-status"),
  compareHint: $("compare-hint"),
  compareReset: $("compare-reset"),
  panels: $("panels"),
  panelsEmpty: $("panels-empty"),
  general: $("comment-general"),
};

let viewer = null;
const embed = createEmbedSnippet($("integrer"));

/** What is on screen. `compare` is undefined for the default comparisons,
 * else the tokens (codes or keys) the URL holds. */
const state = { study: null, comparisons: [], compare: undefined, studyToken: null };

// ---- small helpers ---------------------------------------------------------

function messageOf(err) {
  const text = err instanceof Error ? err.message : String(err ?? "");
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : "Erreur inconnue.";
}

function setStatus(text) {
  ui.status.textContent = text;
}

function showError(title, err, hint = "") {
  $("error-title").textContent = title;
  $("error-message").textContent = messageOf(err);
  $("error-hint").textContent = hint;
  ui.error.hidden = false;
}

function hideError() {
  ui.error.hidden = true;
}

// Warnings that do not stop the page (storage, ignored comparisons), by topic.
const warnings = new Map();

function setWarning(topic, text) {
  if (text) warnings.set(topic, text);
  else warnings.delete(topic);
  $("warning-message").replaceChildren(...[...warnings.values()].map((t) => h("span", { class: "warning-line" }, t)));
  ui.warning.hidden = warnings.size === 0;
}

function failLoading(title, err, hint) {
  document.body.dataset.state = "error";
  setStatus("");
  $("pack-info").textContent = "Aucune donnée chargée.";
  showError(title, err, hint);
}

const frenchInt = new Intl.NumberFormat("fr-FR");

function frenchDate(text) {
  const d = new Date(text);
  if (!text || Number.isNaN(d.getTime())) return text || "date inconnue";
  return d.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric" });
}

function plural(n, one, many = `${one}s`) {
  return n > 1 ? many : one;
}

// ---- start-up ----------------------------------------------------------------

async function start() {
  document.body.dataset.state = "loading";
  // The infographics are laid out with DejaVu Sans metrics: ask for the
  // font now, in parallel with the core and the pack (never fatal).
  const fonts = document.fonts
    ? Promise.all(['400 1em "DejaVu Sans"', '700 1em "DejaVu Sans"'].map((f) => document.fonts.load(f))).catch(() => null)
    : Promise.resolve();

  let core;
  try {
    core = await import("./pkg/territoire.js");
    await core.default();
  } catch (err) {
    failLoading(
      "Le moteur de la visionneuse n'a pas pu démarrer",
      err,
      "Les fichiers pkg/territoire.js et pkg/territoire_bg.wasm doivent être servis à côté de cette page (« make demo » les construit). Un navigateur récent est nécessaire.",
    );
    return;
  }

  let bytes;
  try {
    let res;
    try {
      res = await fetch("pack.bin", { cache: "no-cache" });
    } catch {
      throw new Error("le serveur ne répond pas");
    }
    if (!res.ok) throw new Error(`le fichier pack.bin est introuvable (réponse du serveur : ${res.status})`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    failLoading(
      "Le fichier de données n'a pas pu être téléchargé",
      err,
      "Le fichier pack.bin doit être servi à côté de cette page (« make demo » le construit et le copie).",
    );
    return;
  }

  try {
    viewer = new core.Viewer(bytes);
  } catch (err) {
    failLoading(
      "Le fichier de données est inutilisable",
      err,
      "Reconstruisez le pack (« make pack », ou « make demo ») puis rechargez la page.",
    );
    return;
  }

  await fonts;
  showPackInfo();
  ui.input.disabled = false;
  setStatus("");
  restoreFromUrl();
  maps.start();
  document.body.dataset.state = "ready";
  window.addEventListener("popstate", () => {
    flushComments();
    restoreFromUrl();
    maps.restoreFromUrl();
  });
}

function showPackInfo() {
  let info;
  try {
    info = viewer.info();
  } catch (err) {
    $("pack-info").textContent = `Informations sur le pack indisponibles : ${messageOf(err)}`;
    return;
  }
  const t = info.territories ?? {};
  const counts = [
    [t.epci, "intercommunalité"],
    [t.dep, "département"],
    [t.reg, "région"],
  ]
    .filter(([n]) => n)
    .map(([n, what]) => `${frenchInt.format(n)} ${what}${n > 1 ? "s" : ""}`)
    .join(", ");
  const sources = info.sources ?? [];
  const producers = [...new Set(sources.map((s) => s.producer || s.label))];
  $("pack-info").textContent =
    `Pack de données construit le ${frenchDate(info.build_date)}` +
    (counts ? ` (${counts})` : "") +
    `. Sources : ${producers.length ? producers.join(" ; ") : "non renseignées"}.`;
  const details = $("pack-sources");
  details.querySelector("summary").textContent =
    `Détail des ${frenchInt.format(sources.length)} sources (millésimes, géographie, remarques)`;
  const list = details.querySelector("ul");
  list.replaceChildren(
    ...sources.map((s) =>
      h(
        "li",
        {},
        h("strong", {}, s.label),
        s.geography ? ` — géographie ${s.geography}` : "",
        s.note ? h("span", { class: "note" }, ` — ${s.note}`) : "",
      ),
    ),
  );
  details.hidden = list.children.length === 0;
}

// ---- combobox (ARIA 1.2 combobox with a listbox popup) ----------------------

function placeOf(hit) {
  if (hit.kind === "epci" || hit.kind === "com") return hit.departements.join(", ");
  if (hit.kind === "dep") return hit.regions.join(", ");
  return "";
}

/**
 * Wires a text input and its listbox. `search(q)` returns the hits or a
 * string explaining why there are none; `onChoose(hit)` gets the chosen
 * one; `say(text)` announces (a role=status element).
 */
function combobox({ input, list, idPrefix, search, onChoose, say }) {
  let results = [];
  let active = -1;

  function open() {
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function run() {
    const q = input.value.trim();
    if (!q || !viewer) {
      results = [];
      close();
      say("");
      return;
    }
    let found;
    try {
      found = search(q);
    } catch (err) {
      results = [];
      close();
      say(`Recherche impossible : ${messageOf(err)}`);
      return;
    }
    if (typeof found === "string") {
      results = [];
      close();
      say(found);
      return;
    }
    results = found;
    active = -1;
    list.replaceChildren(
      ...results.map((hit, i) => {
        const place = placeOf(hit);
        const via = hit.via; // the member town as written, e.g. "Sablé-sur-Sarthe"
        return h(
          "li",
          { id: `${idPrefix}${i}`, role: "option", "aria-selected": "false", class: "option", "data-key": hit.key },
          h("span", { class: "option-name" }, hit.name),
          h(
            "span",
            { class: "option-meta" },
            h("span", { class: "option-kind" }, hit.kind_label),
            place ? h("span", { class: "option-place" }, place) : "",
          ),
          via ? h("span", { class: "option-via" }, `commune membre : ${via}`) : "",
        );
      }),
    );
    if (results.length) {
      open();
      say(`${results.length} ${plural(results.length, "territoire")} ${plural(results.length, "trouvé")}.`);
    } else {
      close();
      say(`Aucun territoire ne correspond à « ${q} ».`);
    }
  }

  function setActive(i) {
    const options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (i + options.length) % options.length;
    options.forEach((o, j) => o.setAttribute("aria-selected", String(j === active)));
    const current = options[active];
    input.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  }

  function choose(i) {
    const hit = results[i];
    if (!hit) return;
    close();
    onChoose(hit);
  }

  input.addEventListener("input", run);
  input.addEventListener("keydown", (e) => {
    const isOpen = !list.hidden;
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        if (!isOpen) run();
        if (!list.hidden) setActive(isOpen ? active + 1 : 0);
        break;
      case "ArrowUp":
        e.preventDefault();
        if (!isOpen) run();
        if (!list.hidden) setActive(isOpen && active >= 0 ? active - 1 : -1);
        break;
      case "Enter":
        if (isOpen && results.length) {
          e.preventDefault();
          choose(active >= 0 ? active : 0);
        }
        break;
      case "Escape":
        if (isOpen) {
          e.preventDefault();
          close();
        } else if (input.value) {
          e.preventDefault();
          input.value = "";
          say("");
        }
        break;
      case "Tab":
        close();
        break;
    }
  });
  input.addEventListener("blur", () => close());
  // Keep the focus in the input while clicking an option.
  list.addEventListener("mousedown", (e) => e.preventDefault());
  list.addEventListener("click", (e) => {
    const option = e.target.closest("[role=option]");
    if (option) choose(Number(option.id.slice(idPrefix.length)));
  });
  list.addEventListener("mousemove", (e) => {
    const option = e.target.closest("[role=option]");
    if (option) {
      const i = Number(option.id.slice(idPrefix.length));
      if (i !== active) setActive(i);
    }
  });
  return { close, run };
}

combobox({
  input: ui.input,
  list: ui.list,
  idPrefix: "option-",
  search: (q) => viewer.search(q, STUDY_KINDS, LIMIT),
  say: setStatus,
  onChoose: (hit) => {
    ui.input.value = hit.name;
    // A new study territory starts from its own default comparisons.
    show(hit.key, undefined, { push: true });
  },
});

const compareCombo = combobox({
  input: ui.compareInput,
  list: ui.compareList,
  idPrefix: "cmp-option-",
  say: (text) => {
    ui.compareStatus.textContent = text;
  },
  search: (q) => {
    if (!state.study) return "Choisissez d'abord un territoire d'étude.";
    if (state.comparisons.length >= MAX_COMPARISONS) {
      return `${MAX_COMPARISONS} territoires de comparaison au maximum : retirez-en un pour en ajouter un autre.`;
    }
    const taken = new Set([state.study.key, ...state.comparisons.map((c) => c.key)]);
    return viewer
      .search(q, COMPARE_KINDS, LIMIT + taken.size)
      .filter((hit) => !taken.has(hit.key))
      .slice(0, LIMIT);
  },
  onChoose: (hit) => {
    ui.compareInput.value = "";
    if (state.comparisons.length >= MAX_COMPARISONS) return;
    const next = [...state.comparisons, hit];
    if (setComparisons(next)) ui.compareStatus.textContent = `${hit.name} ajouté aux territoires de comparaison.`;
  },
});

// ---- URL -----------------------------------------------------------------------

function urlFor(studyToken, compare) {
  const params = new URLSearchParams(location.search);
  params.set(PARAM_STUDY, studyToken);
  if (compare === undefined) params.delete(PARAM_COMPARE);
  else params.set(PARAM_COMPARE, compare.join(","));
  const query = params.toString().replace(/%3A/gi, ":").replace(/%2C/gi, ",");
  return `${location.pathname}?${query}`;
}

function compareFromUrl(params) {
  if (!params.has(PARAM_COMPARE)) return undefined;
  return params
    .get(PARAM_COMPARE)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function restoreFromUrl() {
  const params = new URLSearchParams(location.search);
  const study = params.get(PARAM_STUDY)?.trim();
  if (!study) {
    ui.fiche.hidden = true;
    hideError();
    setWarning("compare", "");
    state.study = null;
    state.comparisons = [];
    document.title = HOME_TITLE;
    maps.highlightChanged();
    return;
  }
  show(study, compareFromUrl(params), { push: false });
}

// ---- the snapshot ----------------------------------------------------------------

/** The panel ids in the order shown (the core's), for snapshotOf's keys. */
let shownOrder = [];

/** What a switch shows: the nine infographics with their sentences and
 * sources (the tables and CSVs come from fullPanel when asked for). */
function snapshotOf(studyToken, compare) {
  // With the keys of the infographics shown: each comes as a patch of the
  // one in its section when the core can build on it (src/render/patch.rs).
  const shown = shownOrder.map((id) => sections.get(id)?.key ?? "").join(",");
  return viewer.infographics(studyToken, compare === undefined ? undefined : compare.join(","), shown);
}

let full = null; // { token, compare, snap }: the whole snapshot shown, once asked for

/** The panel `id` of the snapshot on screen with its table and CSV (the
 * core's whole snapshot, built on the first table opened or CSV asked for,
 * then kept until the next switch). */
function fullPanel(id) {
  const compare = state.compare === undefined ? undefined : state.compare.join(",");
  if (!full || full.token !== state.studyToken || full.compare !== compare) {
    full = { token: state.studyToken, compare, snap: viewer.snapshot(state.studyToken, compare) };
  }
  return full.snap.panels.find((p) => p.id === id) ?? null;
}

/**
 * Builds and shows the snapshot of `studyToken` compared with `compare`
 * (undefined: the defaults). Unknown comparison codes are dropped with a
 * warning; an unknown study shows an error. Returns true when shown.
 */
function show(studyToken, compare, { push = false, expectKeys = null } = {}) {
  flushComments();
  const notes = [];
  if (compare !== undefined) {
    const seen = new Set();
    compare = compare.filter((c) => {
      const k = c.toLowerCase();
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    if (compare.length > MAX_COMPARISONS) {
      notes.push(`${MAX_COMPARISONS} territoires de comparaison au maximum : seuls les ${MAX_COMPARISONS} premiers sont gardés.`);
      compare = compare.slice(0, MAX_COMPARISONS);
    }
  }

  const t0 = performance.now();
  let snap;
  try {
    snap = snapshotOf(studyToken, compare);
  } catch (err) {
    let studyError = null;
    try {
      viewer.territory(studyToken);
    } catch (e) {
      studyError = e;
    }
    const bad = [];
    if (!studyError && compare !== undefined) {
      compare = compare.filter((c) => {
        try {
          viewer.territory(c);
          return true;
        } catch {
          bad.push(c);
          return false;
        }
      });
    }
    if (studyError || !bad.length) {
      return fail(studyError ?? err, studyError ? studyToken : null);
    }
    notes.push(
      `${plural(bad.length, "Territoire de comparaison inconnu, ignoré", "Territoires de comparaison inconnus, ignorés")} : « ${bad.join(" », « ")} ».`,
    );
    try {
      snap = snapshotOf(studyToken, compare);
    } catch (e) {
      return fail(e, null);
    }
  }

  // The core resolves codes in the study's context ("52" is the région of
  // a Pays de la Loire EPCI, else Haute-Marne): when that is not what the
  // user picked, ask again with the unambiguous keys.
  const keys = snap.comparisons.map((c) => c.key);
  const wanted = expectKeys ?? keys.filter((k, i) => k !== snap.study.key && keys.indexOf(k) === i);
  if (wanted.join(",") !== keys.join(",")) {
    compare = wanted;
    try {
      snap = snapshotOf(studyToken, compare);
    } catch (e) {
      return fail(e, null);
    }
  }
  const t1 = performance.now();

  hideError();
  setWarning("compare", notes.join(" "));
  state.studyToken = studyToken;
  state.compare = compare;
  render(snap);
  if (push) history.pushState(null, "", urlFor(studyToken, compare));
  const t2 = performance.now();
  try {
    performance.measure("instantane:snapshot", { start: t0, end: t1 });
    performance.measure("instantane:render", { start: t0, end: t2 });
  } catch {
    // User Timing level 3 missing: no measure, nothing else changes.
  }
  maps.highlightChanged(); // after the snapshot is on screen
  return true;
}

function fail(err, unknownStudy) {
  ui.fiche.hidden = true;
  embed.update(null);
  state.study = null;
  state.comparisons = [];
  maps.highlightChanged();
  setWarning("compare", "");
  document.title = HOME_TITLE;
  if (unknownStudy !== null) {
    showError(
      "Ce territoire est introuvable",
      err,
      `Le lien demande le territoire « ${unknownStudy} », que les données ne connaissent pas. Vérifiez le lien, ou cherchez le territoire par son nom ci-dessus.`,
    );
  } else {
    showError("Cet instantané ne peut pas être affiché", err, "Choisissez un autre territoire ou d'autres comparaisons.");
  }
  setStatus("");
  return false;
}

/** Changes the comparison territories (TerritoryInfo list) of the view. */
function setComparisons(list) {
  if (!state.study) return false;
  const tokens = list.map((c) => c.code);
  return show(state.studyToken, tokens, { push: true, expectKeys: list.map((c) => c.key) });
}

function render(snap) {
  const { study, comparisons, panels } = snap;
  const switched = state.study?.key !== study.key;
  state.study = study;
  state.comparisons = comparisons;

  $("fiche-title").textContent = study.name;
  $("fiche-meta").textContent = describe(study);
  renderChips(comparisons);
  renderPanels(panels ?? [], study);
  if (switched) loadComments(study.key);

  ui.fiche.hidden = false;
  embed.update({ code: study.code, name: study.name, compare: state.compare });
  document.title = `${study.name} — ${BASE_TITLE}`;
  ui.input.value = study.name;
  const n = (panels ?? []).length;
  setStatus(
    n
      ? `Instantané affiché : ${study.name}, ${n} ${plural(n, "infographie")}.`
      : `Instantané affiché : ${study.name}.`,
  );
}

// ---- comparison chips ------------------------------------------------------------

function renderChips(comparisons) {
  const focused = document.activeElement?.closest?.("#chips li");
  const focusIndex = focused ? [...ui.chips.children].indexOf(focused) : -1;
  ui.chips.replaceChildren(
    ...comparisons.map((c) =>
      h(
        "li",
        { class: "chip", "data-key": c.key },
        h("span", { class: "chip-name" }, c.name),
        h("span", { class: "chip-kind" }, c.kind_label),
        h(
          "button",
          { type: "button", class: "chip-remove", "aria-label": `Retirer ${c.name}`, title: `Retirer ${c.name}`, "data-key": c.key },
          "×",
        ),
      ),
    ),
  );
  ui.chipsEmpty.hidden = comparisons.length > 0;
  ui.compareReset.hidden = state.compare === undefined;
  const full = comparisons.length >= MAX_COMPARISONS;
  ui.compareHint.textContent = full
    ? `${MAX_COMPARISONS} territoires de comparaison au maximum : retirez-en un pour en ajouter un autre.`
    : `Intercommunalité, département, région ou France ; ${comparisons.length} sur ${MAX_COMPARISONS} au maximum.`;
  if (focusIndex >= 0) {
    // Keep the keyboard where it was after a removal.
    const buttons = ui.chips.querySelectorAll("button");
    (buttons[Math.min(focusIndex, buttons.length - 1)] ?? ui.compareInput).focus();
  }
}

ui.chips.addEventListener("click", (e) => {
  const button = e.target.closest("button.chip-remove");
  if (!button || !state.study) return;
  const removed = state.comparisons.find((c) => c.key === button.dataset.key);
  const next = state.comparisons.filter((c) => c.key !== button.dataset.key);
  if (setComparisons(next) && removed) {
    ui.compareStatus.textContent = `${removed.name} retiré des territoires de comparaison.`;
  }
});

ui.compareReset.addEventListener("click", () => {
  if (!state.study) return;
  if (show(state.studyToken, undefined, { push: true })) {
    ui.compareStatus.textContent = "Comparaisons par défaut rétablies.";
  }
});

$("print").addEventListener("click", () => window.print());

// ---- PDF export (www/pdf-export.js; the PDF module loads on first use) -----------

/** The comments of the study territory as the core's PDF document takes
 * them: {"general": "…", "panels": {"<panel id>": "…"}} (empty ones left
 * out). Read from the comment store after saving what is being typed. */
function commentsForPdf() {
  flushComments();
  const key = state.study.key;
  const general = readComment(storageKey(key, ui.general.dataset.commentId));
  const panels = {};
  for (const id of sections.keys()) {
    const text = readComment(storageKey(key, id));
    if (text.trim()) panels[id] = text;
  }
  return { general: general.trim() ? general : "", panels };
}

createPdfExport({
  button: $("export-pdf"),
  status: $("pdf-status"),
  error: $("pdf-error"),
  messageOf: (err) => {
    const text = err instanceof Error ? err.message : String(err ?? "");
    return text || "erreur inconnue";
  },
  prepare: () => {
    if (!viewer || !state.study) throw new Error("choisissez d'abord un territoire");
    const study = state.study;
    const compare = state.compare === undefined ? undefined : state.compare.join(",");
    const date = today();
    // The PDF worker lays the document out from pack.bin (the page's own).
    return {
      fileCode: study.code,
      date,
      request: { code: study.key, compare, comments: commentsForPdf(), maps: maps.pdfRequests(), date },
    };
  },
});

// ---- panels ----------------------------------------------------------------------

/** Panel sections by panel id: created once, updated in place, so an open
 * data table and a comment being typed survive a comparison change. */
const sections = new Map();

function renderPanels(panels, study) {
  const seen = new Set();
  for (const [i, panel] of panels.entries()) {
    let entry = sections.get(panel.id);
    if (!entry) {
      entry = createSection(panel.id);
      sections.set(panel.id, entry);
      entry.textarea.value = readComment(storageKey(study.key, panel.id));
      mirror(entry.textarea);
    }
    updateSection(entry, panel, study);
    seen.add(panel.id);
    // The core's order. A section moves only when out of place: a move
    // re-inserts its whole subtree (style, layout) and drops the focus.
    const there = ui.panels.children[i] ?? null;
    if (there !== entry.section) ui.panels.insertBefore(entry.section, there);
  }
  for (const [id, entry] of sections) {
    if (!seen.has(id)) {
      entry.section.remove();
      sections.delete(id);
    }
  }
  ui.panelsEmpty.hidden = panels.length > 0;
  shownOrder = panels.map((p) => p.id);
}

function safeId(text) {
  return String(text).replace(/[^A-Za-z0-9_-]/g, "_");
}

function createSection(id) {
  const sid = safeId(id);
  const title = h("h2", { id: `panel-${sid}-title`, class: "panel-title" });
  const figure = h("div", { class: "panel-figure" });
  const text = h("div", { class: "panel-text" });
  // A table wider than a phone scrolls in its box: a focus stop (named
  // region, named in updateSection) lets the keyboard scroll it.
  const tableWrap = h("div", { class: "table-wrap", tabindex: "0", role: "region" });
  // Nine « Tableau des données »: each names its infographic for screen
  // readers (the accessible name starts with the visible text).
  const tableName = h("summary", {}, "Tableau des données");
  const details = h("details", { class: "panel-data" }, tableName, tableWrap);
  const csv = h("button", { type: "button", class: "button csv" }, "Télécharger le CSV");
  const commentId = `comment-${sid}`;
  const textarea = h("textarea", { id: commentId, rows: 3, "data-comment-id": id });
  const commentName = h("span", { class: "sr-only" });
  const comment = h(
    "div",
    { class: "comment", "data-comment": id },
    h("label", { for: commentId }, "Votre commentaire", commentName),
    textarea,
    h("p", { class: "comment-print", "aria-hidden": "true" }),
  );
  const section = h(
    "section",
    { class: "panel", id: `panel-${sid}`, "data-panel": id, "aria-labelledby": title.id },
    title,
    figure,
    text,
    h("div", { class: "panel-actions" }, details, csv),
    comment,
  );
  const entry = { section, title, figure, text, details, tableWrap, csv, textarea, commentName, tableName, panel: null, svg: null, tableFor: null };
  csv.addEventListener("click", () => downloadCsv(entry.panel));
  details.addEventListener("toggle", () => {
    if (details.open) fillTable(entry);
  });
  bindComment(textarea);
  return entry;
}

function updateSection(entry, panel, study) {
  entry.panel = panel;
  const sid = safeId(panel.id);
  entry.title.replaceChildren(
    panel.number ? h("span", { class: "panel-number" }, `${panel.number}.`) : "",
    panel.number ? " " : "",
    panel.title,
  );
  entry.commentName.textContent = ` sur « ${panel.title} »`;
  entry.tableName.setAttribute("aria-label", `Tableau des données : ${panel.title}`);
  entry.tableWrap.setAttribute("aria-label", `Tableau des données : ${panel.title}`);
  entry.csv.setAttribute("aria-label", `Télécharger le CSV : ${panel.title}`);

  // The infographic: the one shown, patched in place (only what differs
  // changes, and is laid out again), or a whole document imported.
  const svg = infographicSvg(panel, entry.svg, `p-${sid}-`, viewer);
  // The figure's height before it is laid out (style.css .panel-figure):
  // the SVG's own proportions (CSSOM, which a strict CSP allows).
  entry.figure.style.aspectRatio = aspectRatio(svg);
  if (!svg || svg !== entry.svg) {
    entry.svg = svg;
    entry.hasSvg = Boolean(svg);
    entry.figure.replaceChildren(
      svg ?? h("p", { class: "panel-missing" }, panel.svg || panel.patch ? "Infographie illisible." : "Infographie indisponible."),
    );
  }
  // Only a document the page shows is a base for the next patch.
  entry.key = entry.svg ? panel.key : undefined;

  // The infographic draws its own title, reading sentences and sources:
  // the page's copies are then for screen readers only (the SVG is one
  // image whose description holds the sentences). Without an infographic,
  // they are shown.
  entry.section.classList.toggle("panel-has-svg", entry.hasSvg);
  entry.text.replaceChildren(
    ...(entry.hasSvg ? [] : (panel.sentences ?? []).map((s) => h("p", { class: "panel-sentence" }, s))),
    ...(panel.sources ?? []).map((s) => h("p", { class: "panel-source" }, s)),
  );
  // The table is built when its disclosure is open (now, or when opened):
  // nine tables on every switch were a fifth of the page's work, for
  // disclosures that are closed (and not printed) unless the user opens them.
  entry.tableFor = { id: panel.id, studyName: study.name };
  entry.tableWrap.replaceChildren();
  if (entry.details.open) fillTable(entry);
}

/** Builds the panel's data table into its disclosure, once per snapshot. */
function fillTable(entry) {
  if (!entry.tableFor) return;
  const { id, studyName } = entry.tableFor;
  entry.tableFor = null;
  let table;
  try {
    table = fullPanel(id)?.table;
  } catch (err) {
    entry.tableWrap.replaceChildren(h("p", { class: "error" }, `Tableau indisponible : ${messageOf(err)}`));
    return;
  }
  entry.tableWrap.replaceChildren(table ? dataTable(table, studyName, { tableClass: "data" }) : h("p", {}, "Tableau indisponible."));
}

function downloadCsv(panel) {
  if (!panel || !state.study) return;
  let csv;
  try {
    csv = fullPanel(panel.id)?.csv ?? "";
  } catch (err) {
    showError("Le CSV ne peut pas être produit", err);
    return;
  }
  // A byte order mark, so that Excel reads the file as UTF-8.
  const blob = new Blob(["\ufeff", csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: `instantane-${safeId(state.study.code)}-${safeId(panel.id)}.csv`, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---- comments ------------------------------------------------------------------------

/** What is typed, by storage key: the text on screen never depends on
 * localStorage working. */
const typed = new Map();
const pending = new Map(); // storage key → timer
let storageWorks = true;

function storageKey(territoryKey, id) {
  return `${STORAGE_PREFIX}${territoryKey}:${id}`;
}

function storage() {
  return window.localStorage; // may throw (storage disabled)
}

function storageFailed(err) {
  storageWorks = false;
  const why = err && /quota/i.test(`${err.name} ${err.message}`) ? "l'espace de stockage du navigateur est plein" : "le navigateur refuse le stockage local (navigation privée ?)";
  setWarning(
    "storage",
    `Vos commentaires ne peuvent pas être enregistrés : ${why}. Ils restent affichés tant que la page est ouverte ; copiez-les avant de la fermer.`,
  );
}

function storageRecovered() {
  if (!storageWorks) {
    storageWorks = true;
    setWarning("storage", "");
  }
}

function readComment(key) {
  if (typed.has(key)) return typed.get(key);
  try {
    return storage().getItem(key) ?? "";
  } catch (err) {
    storageFailed(err);
    return "";
  }
}

function saveComment(key) {
  clearTimeout(pending.get(key));
  pending.delete(key);
  if (!typed.has(key)) return;
  const text = typed.get(key);
  try {
    if (text) storage().setItem(key, text);
    else storage().removeItem(key);
    storageRecovered();
  } catch (err) {
    storageFailed(err);
  }
}

function flushComments() {
  for (const key of [...pending.keys()]) saveComment(key);
}

function bindComment(textarea) {
  const keyOf = () => (state.study ? storageKey(state.study.key, textarea.dataset.commentId) : null);
  textarea.addEventListener("input", () => {
    const key = keyOf();
    mirror(textarea);
    if (!key) return;
    typed.set(key, textarea.value);
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => saveComment(key), SAVE_DELAY_MS),
    );
  });
  textarea.addEventListener("blur", () => {
    const key = keyOf();
    if (key && pending.has(key)) saveComment(key);
  });
}

/** The printed page shows the comment as text (a textarea prints clipped). */
function mirror(textarea) {
  const out = textarea.parentElement.querySelector(".comment-print");
  if (out) out.textContent = textarea.value;
  textarea.parentElement.classList.toggle("comment-empty", !textarea.value.trim());
}

function loadComments(territoryKey) {
  for (const textarea of [ui.general, ...[...sections.values()].map((e) => e.textarea)]) {
    textarea.value = readComment(storageKey(territoryKey, textarea.dataset.commentId));
    mirror(textarea);
  }
}

/**
 * Another tab of the page saved (or cleared) comments: take its text, so
 * that this tab neither shows a stale copy nor writes it back later (the
 * PDF reads `typed` first). The last write wins per comment: a comment
 * this tab is still saving (pending) keeps its own text.
 */
function commentsChangedElsewhere(e) {
  if (e.storageArea && e.storageArea !== window.localStorage) return;
  if (e.key !== null && !e.key.startsWith(STORAGE_PREFIX)) return;
  const keys = e.key === null ? [...typed.keys()] : [e.key]; // null: storage cleared
  for (const key of keys) {
    if (pending.has(key) || !typed.has(key)) continue; // not typed here: read from storage
    if (e.key === null) typed.delete(key);
    else typed.set(key, e.newValue ?? "");
  }
  if (!state.study) return;
  for (const textarea of [ui.general, ...[...sections.values()].map((s) => s.textarea)]) {
    const key = storageKey(state.study.key, textarea.dataset.commentId);
    if ((e.key !== null && e.key !== key) || pending.has(key)) continue;
    const text = readComment(key);
    if (textarea.value === text) continue;
    const focused = document.activeElement === textarea;
    const { selectionStart, selectionEnd } = textarea;
    const atEnd = selectionEnd === textarea.value.length;
    textarea.value = text;
    // A caret at the end stays at the end; elsewhere, where it was.
    if (focused && atEnd) textarea.setSelectionRange(text.length, text.length);
    else if (focused) textarea.setSelectionRange(Math.min(selectionStart, text.length), Math.min(selectionEnd, text.length));
    mirror(textarea);
  }
}

window.addEventListener("storage", commentsChangedElsewhere);

bindComment(ui.general);

// ---- maps ----------------------------------------------------------------------------

const maps = createMaps({
  viewer: () => viewer,
  h,
  importSvg,
  messageOf,
  highlight: () => (state.study ? [state.study.key, ...state.comparisons.map((c) => c.key)] : []),
  studyName: () => state.study?.name ?? null,
  // The page's own selection: snapshot, URL (pushed), title.
  select: (key) => {
    if (state.study?.key === key) return true;
    return show(key, undefined, { push: true });
  },
});

window.addEventListener("pagehide", flushComments);
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") flushComments();
});

start().catch((err) => failLoading("La visionneuse s'est arrêtée", err, "Rechargez la page."));

// Offline: the service worker keeps what the viewer and the PDF export need
// (see sw.js). Registered once the viewer runs, so it never delays it; a
// refusal (file://, private mode) only means no offline use.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("sw.js").catch(() => {});
  });
}

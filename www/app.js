// The viewer page: starts the WebAssembly core, loads the data pack, lets
// the user find a territory and shows its key figures next to its
// département, its région and France métropolitaine. Plain DOM, no
// framework. Every figure's text comes formatted (in French) from the core.
//
// <body data-state> is "loading", then "ready" or "error" (used by tests).

const KINDS = "epci,dep,reg,pays";
const LIMIT = 10;
const PARAM = "territoire";

const $ = (id) => document.getElementById(id);
const ui = {
  input: $("q"),
  list: $("results"),
  status: $("status"),
  error: $("error"),
  fiche: $("fiche"),
};

let viewer = null;
let results = [];
let active = -1;

const EPCI_TYPES = {
  CC: "communauté de communes",
  CA: "communauté d'agglomération",
  CU: "communauté urbaine",
  ME: "métropole",
  MET69: "métropole",
};

// ---- small helpers ---------------------------------------------------------

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== "") node.append(child);
  }
  return node;
}

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

// ---- start-up ----------------------------------------------------------------

async function start() {
  document.body.dataset.state = "loading";
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

  showPackInfo();
  ui.input.disabled = false;
  setStatus("");
  document.body.dataset.state = "ready";
  restoreFromUrl();
  window.addEventListener("popstate", restoreFromUrl);
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
    ...(info.sources ?? []).map((s) =>
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

// ---- search (ARIA 1.2 combobox with a listbox popup) -----------------------

function placeOf(hit) {
  if (hit.kind === "epci" || hit.kind === "com") return hit.departements.join(", ");
  if (hit.kind === "dep") return hit.regions.join(", ");
  return "";
}

function runSearch() {
  const q = ui.input.value.trim();
  if (!q || !viewer) {
    closeList();
    setStatus("");
    return;
  }
  try {
    results = viewer.search(q, KINDS, LIMIT);
  } catch (err) {
    results = [];
    closeList();
    setStatus(`Recherche impossible : ${messageOf(err)}`);
    return;
  }
  active = -1;
  ui.list.replaceChildren(
    ...results.map((hit, i) => {
      const place = placeOf(hit);
      const via = hit.via; // the member town as written, e.g. "Sablé-sur-Sarthe"
      return h(
        "li",
        { id: `option-${i}`, role: "option", "aria-selected": "false", class: "option", "data-key": hit.key },
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
    openList();
    setStatus(`${results.length} territoire${results.length > 1 ? "s" : ""} trouvé${results.length > 1 ? "s" : ""}.`);
  } else {
    closeList();
    setStatus(`Aucun territoire ne correspond à « ${q} ».`);
  }
}

function openList() {
  ui.list.hidden = false;
  ui.input.setAttribute("aria-expanded", "true");
}

function closeList() {
  ui.list.hidden = true;
  ui.input.setAttribute("aria-expanded", "false");
  ui.input.removeAttribute("aria-activedescendant");
  active = -1;
}

function setActive(i) {
  const options = ui.list.querySelectorAll("[role=option]");
  if (!options.length) return;
  active = (i + options.length) % options.length;
  options.forEach((o, j) => o.setAttribute("aria-selected", String(j === active)));
  const current = options[active];
  ui.input.setAttribute("aria-activedescendant", current.id);
  current.scrollIntoView({ block: "nearest" });
}

function choose(i) {
  const hit = results[i];
  if (!hit) return;
  ui.input.value = hit.name;
  closeList();
  if (showTerritory(hit.key)) {
    history.pushState({ key: hit.key }, "", urlFor(hit.key));
  }
}

ui.input.addEventListener("input", runSearch);

ui.input.addEventListener("keydown", (e) => {
  const open = !ui.list.hidden;
  switch (e.key) {
    case "ArrowDown":
      e.preventDefault();
      if (!open) runSearch();
      if (!ui.list.hidden) setActive(open ? active + 1 : 0);
      break;
    case "ArrowUp":
      e.preventDefault();
      if (!open) runSearch();
      if (!ui.list.hidden) setActive(open && active >= 0 ? active - 1 : -1);
      break;
    case "Enter":
      if (open && results.length) {
        e.preventDefault();
        choose(active >= 0 ? active : 0);
      }
      break;
    case "Escape":
      if (open) {
        e.preventDefault();
        closeList();
      } else if (ui.input.value) {
        e.preventDefault();
        ui.input.value = "";
        setStatus("");
      }
      break;
    case "Tab":
      closeList();
      break;
  }
});

ui.input.addEventListener("blur", () => closeList());

// Keep the focus in the input while clicking an option.
ui.list.addEventListener("mousedown", (e) => e.preventDefault());
ui.list.addEventListener("click", (e) => {
  const option = e.target.closest("[role=option]");
  if (option) choose(Number(option.id.replace("option-", "")));
});
ui.list.addEventListener("mousemove", (e) => {
  const option = e.target.closest("[role=option]");
  if (option) {
    const i = Number(option.id.replace("option-", ""));
    if (i !== active) setActive(i);
  }
});

// ---- key figures -----------------------------------------------------------

function urlFor(key) {
  const params = new URLSearchParams(location.search);
  params.set(PARAM, key);
  return `${location.pathname}?${params.toString().replace(/%3A/gi, ":")}`;
}

function restoreFromUrl() {
  const key = new URLSearchParams(location.search).get(PARAM);
  if (!key) {
    ui.fiche.hidden = true;
    hideError();
    document.title = "Portrait de territoire — chiffres clés";
    return;
  }
  showTerritory(key);
}

function isPlainValue(f) {
  return f.status === "value" && f.value !== null && f.value !== undefined;
}

function figureCell(f) {
  const plain = isPlainValue(f);
  // Never blank, never a made-up zero: a missing text falls back to the
  // status wording, then to "non disponible".
  const text = f.text || f.status_label || "non disponible";
  // Statuses arrive as snake_case keys: "bottom_coded" → class fig-bottom-coded.
  const status = String(f.status).replace(/_/g, "-");
  return h(
    "td",
    {
      class: plain ? "fig" : `fig fig-status fig-${status}`,
      title: plain ? null : f.status_label || "non disponible",
    },
    h("span", { class: "fig-text" }, text),
    f.year ? h("span", { class: "fig-year" }, h("span", { class: "sr-only" }, "en "), String(f.year)) : "",
  );
}

function describe(t) {
  const parts = [t.kind === "epci" && EPCI_TYPES[t.epci_type] ? `Intercommunalité (${EPCI_TYPES[t.epci_type]})` : t.kind_label];
  if (t.kind === "epci" || t.kind === "com") parts.push(t.departements.join(", "));
  if (t.kind !== "reg" && t.kind !== "pays") parts.push(t.regions.join(", "));
  return parts.filter(Boolean).join(" · ");
}

function sourceLines(rows) {
  const bySource = new Map();
  for (const row of rows) {
    for (const f of row.figures) {
      if (!f.source) continue;
      const entry = bySource.get(f.source) ?? { years: new Set(), labels: new Set() };
      if (f.year) entry.years.add(f.year);
      entry.labels.add(row.label);
      bySource.set(f.source, entry);
    }
  }
  return [...bySource].map(([source, { years, labels }]) => {
    const sorted = [...years].sort();
    const missing = sorted.filter((y) => !source.includes(String(y)));
    const yearText = missing.length ? ` (données ${sorted.join(", ")})` : "";
    return h("li", {}, `Source : ${source}${yearText} — ${[...labels].join(", ")}`);
  });
}

function showTerritory(key) {
  let table;
  try {
    table = viewer.key_figures(key, "");
  } catch (err) {
    ui.fiche.hidden = true;
    showError("Ce territoire ne peut pas être affiché", err, "Choisissez un territoire dans la recherche.");
    return false;
  }
  hideError();
  const { study, columns, rows } = table;
  $("fiche-title").textContent = study.name;
  $("fiche-meta").textContent = describe(study);
  $("figures-caption").textContent = `Chiffres clés — ${study.name} et territoires de comparaison`;
  const figures = $("figures");
  figures.tHead.replaceChildren(
    h(
      "tr",
      {},
      h("th", { scope: "col" }, "Indicateur"),
      columns.map((c, i) =>
        h(
          "th",
          { scope: "col", class: i === 0 ? "col-study" : null, "data-key": c.key },
          h("span", { class: "col-name" }, c.name),
          h("span", { class: "col-kind" }, c.kind_label),
        ),
      ),
    ),
  );
  figures.tBodies[0].replaceChildren(
    ...rows.map((row) =>
      h(
        "tr",
        { "data-indicator": row.indicator },
        h("th", { scope: "row" }, row.label),
        columns.map((_, i) => (row.figures[i] ? figureCell(row.figures[i]) : figureCell({ status: "not_available" }))),
      ),
    ),
  );
  if (!rows.length) {
    figures.tBodies[0].replaceChildren(
      h("tr", {}, h("td", { colspan: columns.length + 1, class: "fig fig-status" }, "Aucun chiffre clé disponible pour ce territoire.")),
    );
  }
  $("sources").replaceChildren(...sourceLines(rows));
  ui.fiche.hidden = false;
  document.title = `${study.name} — Portrait de territoire`;
  ui.input.value = study.name;
  setStatus(`Portrait affiché : ${study.name}.`);
  return true;
}

start().catch((err) => failLoading("La visionneuse s'est arrêtée", err, "Rechargez la page."));

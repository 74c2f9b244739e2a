// The exported data (build/bench-data/indicators.json, written by
// `data-pack export-json` from the pack) and the figure lookups the nine
// infographics need: a territory's most recent figure of an indicator (the
// same choice as the core: the latest year with a complete figure, else
// the latest partial one, else the newest year as « non disponible »), a
// figure at a given year, French formatting.

const nf0 = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const HAS_VALUE = new Set(["value", "bottom_coded", "approximate", "partial"]);

export class Data {
  constructor(json, geojson) {
    this.statuses = json.statuses;
    this.territories = json.territories;
    this.index = new Map(json.territories.map((t, i) => [t.key, i]));
    this.indicators = new Map(json.indicators.map((ind) => [ind.id, ind]));
    this.sources = json.sources;
    this.geojson = geojson;
    const frm = json.territories.find((t) => t.kind === "pays");
    this.frm = frm ? frm.key : null;
  }

  territory(key) {
    const i = this.index.get(key);
    if (i === undefined) throw new Error(`territoire inconnu : « ${key} »`);
    return { ...this.territories[i], index: i };
  }

  years(id) {
    const ind = this.indicators.get(id);
    return ind ? ind.series.map((s) => s.year) : [];
  }

  figureOf(ind, s, t) {
    const status = this.statuses[s.status[t]];
    const value = s.values[t];
    const f = { id: ind.id, label: ind.label, unit: ind.unit, year: s.year, status, value, source: s.source };
    f.text = text(f);
    return f;
  }

  missing(id, t) {
    const ind = this.indicators.get(id);
    const f = { id, label: ind ? ind.label : id, unit: ind ? ind.unit : "", year: 0, status: "not_available", value: null, source: "" };
    f.text = text(f);
    return f;
  }

  /** The most recent figure of `id` for territory index `t`. */
  latest(id, t) {
    const ind = this.indicators.get(id);
    if (!ind || ind.series.length === 0) return this.missing(id, t);
    const st = (s) => this.statuses[s.status[t]];
    let pick = null;
    for (let i = ind.series.length - 1; i >= 0 && !pick; i--) {
      const k = st(ind.series[i]);
      if (k !== "not_available" && k !== "partial") pick = ind.series[i];
    }
    for (let i = ind.series.length - 1; i >= 0 && !pick; i--) {
      if (st(ind.series[i]) === "partial") pick = ind.series[i];
    }
    return this.figureOf(ind, pick ?? ind.series[ind.series.length - 1], t);
  }

  /** The figure of `id` for territory index `t` in `year`. */
  at(id, t, year) {
    const ind = this.indicators.get(id);
    const s = ind?.series.find((x) => x.year === year);
    if (!s) return { ...this.missing(id, t), year };
    return this.figureOf(ind, s, t);
  }
}

export function hasValue(f) {
  return f.value !== null && f.value !== undefined && HAS_VALUE.has(f.status);
}

export function number(v, unit) {
  switch (unit) {
    case "%":
      return `${nf1.format(v)}\u00a0%`;
    case "€":
      return `${nf0.format(v)}\u00a0€`;
    case "ratio":
    case "indice":
      return v < 10 ? nf2.format(v) : nf1.format(v);
    case "hab./km²":
      return `${nf1.format(v)}\u00a0hab./km²`;
    case "km²":
      return `${nf1.format(v)}\u00a0km²`;
    default:
      return nf0.format(v);
  }
}

/** A figure as shown: « 12,8 % », « secret statistique », « ≤ 5 % »… */
export function text(f) {
  switch (f.status) {
    case "secret":
      return "secret statistique";
    case "not_available":
      return "non disponible";
    case "bottom_coded":
      return "≤ 5\u00a0%";
    case "approximate":
      return f.value === null ? "ordre de grandeur" : `≈\u00a0${number(f.value, f.unit)}`;
    case "partial":
      return f.value === null ? "non disponible" : `${number(f.value, f.unit)} (partiel)`;
    default:
      return f.value === null ? "non disponible" : number(f.value, f.unit);
  }
}

export const fixed1 = (v) => nf1.format(v);
export const signed1 = (v) => `${v >= 0 ? "+" : "−"}${nf1.format(Math.abs(v))}`;

/** Fetches and parses the two exported files. */
export async function loadData(base) {
  const get = async (name) => {
    const res = await fetch(base + name);
    if (!res.ok) throw new Error(`${name} : réponse ${res.status} (make bench l'exporte dans build/bench-data/)`);
    return res.json();
  };
  const [json, geojson] = await Promise.all([get("indicators.json"), get("epci.geojson")]);
  return new Data(json, geojson);
}

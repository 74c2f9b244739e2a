// The nine panels of a snapshot computed from the exported data, as the
// core does (src/snapshot/panels.rs): key figures with their comparison
// note, grouped bars, lines, an age pyramid, a reading sentence and the
// sources, for the study territory and its comparisons.

import { fixed1, hasValue, number, signed1, text } from "./data.js";

const BANDS = [
  ["0-4", "00_04"], ["5-9", "05_09"], ["10-14", "10_14"], ["15-19", "15_19"], ["20-24", "20_24"],
  ["25-29", "25_29"], ["30-34", "30_34"], ["35-39", "35_39"], ["40-44", "40_44"], ["45-49", "45_49"],
  ["50-54", "50_54"], ["55-59", "55_59"], ["60-64", "60_64"], ["65-69", "65_69"], ["70-74", "70_74"],
  ["75-79", "75_79"], ["80-84", "80_84"], ["85-89", "85_89"], ["90-94", "90_94"], ["95+", "95p"],
];

const between = (years, from, to) => years.filter((y) => y >= from && y <= to);

class Builder {
  constructor(data, cols, number, title) {
    this.data = data;
    this.cols = cols; // [study, ...comparisons] territories (with index)
    this.panel = { number, title, keys: [], charts: [], sentences: [], sources: new Set() };
  }
  latest(id) {
    return this.cols.map((t) => this.data.latest(id, t.index));
  }
  source(figs) {
    for (const f of figs) if (f.source && f.status !== "not_available") this.panel.sources.add(f.source);
  }
  /** The first comparison column with a value, if the study has one. */
  reference(figs) {
    if (!hasValue(figs[0])) return -1;
    return figs.findIndex((f, i) => i > 0 && hasValue(f));
  }
  key(short, figs) {
    const f = figs[0];
    const r = this.reference(figs);
    let note = "";
    if (r > 0) {
      const g = figs[r];
      note =
        f.unit === "%"
          ? `${signed1(f.value - g.value)} points par rapport à ${this.cols[r].name}`
          : g.value
            ? `${signed1(((f.value - g.value) / Math.abs(g.value)) * 100)} % par rapport à ${this.cols[r].name}`
            : "";
    }
    const label = f.year && !short.endsWith(String(f.year)) ? `${short} ${f.year}` : short;
    this.panel.keys.push({ label, text: f.text, note });
    this.source(figs);
    return figs;
  }
  keyId(short, id) {
    return this.key(short, this.latest(id));
  }
  compare(subject, figs, unit = "") {
    if (this.panel.sentences.length >= 2) return;
    const r = this.reference(figs);
    const f = figs[0];
    if (r > 0) {
      const g = figs[r];
      const d = f.value - g.value;
      const how = Math.abs(d) < 1e-9 ? "égale" : d > 0 ? "dépasse" : "est inférieure à";
      const diff = f.unit === "%" ? `${fixed1(Math.abs(d))} point${Math.abs(d) >= 2 ? "s" : ""}` : `${number(Math.abs(d), f.unit)}`;
      this.panel.sentences.push(
        `En ${f.year}, ${subject} (${f.text}) ${how}${Math.abs(d) < 1e-9 ? " celle" : ` de ${diff} celle`} de ${this.cols[r].name} (${g.text})${unit}.`,
      );
    } else {
      this.panel.sentences.push(`${subject[0].toUpperCase()}${subject.slice(1)} de ${this.cols[0].name} : ${f.text}.`);
    }
  }
  bars(title, unit, items) {
    const perCat = items.map(([id]) => this.latest(id));
    perCat.forEach((figs) => this.source(figs));
    this.barsOf(title, unit, items.map(([, c]) => c), perCat);
  }
  barsOf(title, unit, categories, perCat) {
    const series = this.cols.map((t, i) => ({ name: t.name, study: i === 0, figures: perCat.map((figs) => figs[i]) }));
    this.panel.charts.push({ type: "bars", title, unit, categories, series });
  }
  byYear(id, years) {
    return years.map((y) => this.cols.map((t) => this.data.at(id, t.index, y)));
  }
  lines(title, id, years, index = false) {
    let perYear = this.byYear(id, years);
    perYear.forEach((figs) => this.source(figs));
    if (index && perYear.length) {
      const base = perYear[0];
      perYear = perYear.map((figs) =>
        figs.map((f, t) => {
          const b = base[t];
          const v = hasValue(f) && hasValue(b) && b.value > 0 ? (f.value / b.value) * 100 : null;
          const g = { ...f, unit: "indice", value: v, status: v === null ? "not_available" : f.status };
          g.text = text(g);
          return g;
        }),
      );
    }
    if (!perYear.flat().some(hasValue)) return;
    const series = this.cols.map((t, i) => ({ name: t.name, study: i === 0, figures: perYear.map((figs) => figs[i]) }));
    this.panel.charts.push({ type: "lines", title, unit: index ? "indice base 100" : perYear[0]?.[0]?.unit ?? "", years, series });
  }
  finish() {
    const p = this.panel;
    p.sources = [...p.sources].sort().map((s) => `Source : ${s}`);
    return p;
  }
}

function pyramidOf(data, t) {
  const figs = [];
  for (const sex of ["h", "f"]) for (const [, band] of BANDS) figs.push(data.latest(`pop_${sex}_${band}`, t.index));
  const year = figs[0].year;
  if (figs.some((f) => !hasValue(f) || f.year !== year)) return null;
  const total = figs.reduce((s, f) => s + f.value, 0);
  if (total <= 0) return null;
  const share = (f) => (f.value / total) * 100;
  return { name: t.name, men: figs.slice(0, 20).map(share), women: figs.slice(20).map(share), year, source: figs[0].source };
}

function population(b) {
  b.keyId("Population", "population");
  const evo = b.keyId("Évolution 2013-2018", "evolution_population");
  b.keyId("Densité", "densite");
  b.compare("l'évolution annuelle de la population", evo);
  b.bars("Évolution de la population 2013-2018", "%", [["evolution_population", "Évolution 2013-2018"]]);
  b.bars("Répartition de la population selon la grille de densité", "%", [
    ["part_pop_densite_1", "Grands centres urbains"],
    ["part_pop_densite_2", "Centres urbains intermédiaires"],
    ["part_pop_densite_3", "Ceintures urbaines"],
    ["part_pop_densite_4", "Petites villes"],
    ["part_pop_densite_5", "Bourgs ruraux"],
    ["part_pop_densite_6", "Rural à habitat dispersé"],
    ["part_pop_densite_7", "Rural à habitat très dispersé"],
  ]);
  b.lines("Population depuis 1876 (géographie 2025)", "population_historique", b.data.years("population_historique"));
}

function ages(b) {
  const shares = [["part_0014", "0-14 ans"], ["part_1529", "15-29 ans"], ["part_6074", "60-74 ans"], ["part_75p", "75 ans ou plus"]];
  const figs = shares.map(([id, short]) => b.keyId(`Part des ${short}`, id));
  b.compare("la part des 75 ans ou plus", figs[3]);
  b.compare("la part des moins de 15 ans", figs[0]);
  const pyramids = b.cols.map((t) => pyramidOf(b.data, t));
  const study = pyramids[0];
  if (study) b.panel.sources.add(study.source);
  b.panel.charts.push({
    type: "pyramid",
    title: "Pyramide des âges (part de la population totale, en %)",
    bands: BANDS.map(([l]) => l),
    study,
    comparison: study ? pyramids.slice(1).find((p) => p) ?? null : null,
  });
  b.bars("Structure par âge", "%", shares);
}

function menages(b) {
  b.keyId("Ménages", "menages");
  const pph = b.cols.map((t) => {
    const pop = b.data.latest("population", t.index);
    const men = b.data.at("menages", t.index, pop.year);
    const v = hasValue(pop) && hasValue(men) && men.value > 0 ? pop.value / men.value : null;
    const f = { id: "personnes_par_menage", label: "Personnes par ménage", unit: "ratio", year: pop.year, status: v === null ? "not_available" : "value", value: v, source: pop.source };
    f.text = text(f);
    return f;
  });
  b.key("Personnes par ménage", pph);
  const alone = b.keyId("Ménages d'une personne", "part_menages_seuls");
  b.keyId("Familles monoparentales", "part_familles_monoparentales");
  b.compare("la part des ménages d'une personne", alone);
  b.bars("Composition des ménages (RP 2022, ordre de grandeur)", "%", [
    ["part_menages_seuls", "Personnes seules"],
    ["part_familles_monoparentales", "Familles monoparentales"],
    ["part_couples_avec_enfants", "Couples avec enfant(s)"],
  ]);
  b.barsOf("Personnes par ménage", "ratio", ["Personnes par ménage"], [pph]);
}

function jeunesse(b) {
  const young = b.keyId("Part des 15-29 ans", "part_1529");
  const neet = b.keyId("15-24 ans ni en emploi ni en études", "part_jeunes_non_inseres");
  b.keyId("Taux de pauvreté, moins de 30 ans", "taux_pauvrete_age_moins30");
  b.keyId("Diplômés du supérieur", "part_diplome_superieur");
  b.compare("la part des 15-24 ans ni en emploi ni en études", neet);
  b.compare("la part des 15-29 ans", young);
  b.bars("Plus haut diplôme des 15 ans ou plus non scolarisés", "%", [
    ["part_sans_diplome", "Sans diplôme ou CEP"],
    ["part_brevet", "Brevet"],
    ["part_cap_bep", "CAP, BEP"],
    ["part_bac", "Baccalauréat"],
    ["part_bac2", "Bac + 2"],
    ["part_bac34", "Bac + 3 ou 4"],
    ["part_bac5p", "Bac + 5 ou plus"],
  ]);
  b.lines("Part des 15-24 ans ni en emploi ni en études", "part_jeunes_non_inseres", b.data.years("part_jeunes_non_inseres"));
}

function emploi(b) {
  b.keyId("Taux d'activité des 15-64 ans", "taux_activite");
  const unemployment = b.keyId("Taux de chômage (recensement)", "taux_chomage");
  b.keyId("Demandeurs d'emploi (cat. A, B, C)", "demandeurs_emploi_abc");
  b.keyId("Emplois salariés privés", "emplois_salaries_prives");
  b.compare("le taux de chômage des 15-64 ans", unemployment);
  b.bars("Activité des 15-64 ans (recensement)", "%", [
    ["taux_activite", "Taux d'activité"],
    ["taux_emploi", "Taux d'emploi"],
    ["taux_chomage", "Taux de chômage"],
  ]);
  const years = between(b.data.years("demandeurs_emploi_abc"), 2015, 2024);
  b.lines(`Demandeurs d'emploi (cat. A, B, C), indice base 100 en ${years[0] ?? 2015}`, "demandeurs_emploi_abc", years, true);
  b.bars("Mode de transport pour aller travailler", "%", [
    ["part_mode_voiture", "Voiture"],
    ["part_mode_transports_commun", "Transports en commun"],
    ["part_mode_velo", "Vélo"],
    ["part_mode_pied", "Marche à pied"],
    ["part_mode_deux_roues", "Deux-roues motorisé"],
    ["part_mode_aucun", "Pas de transport"],
  ]);
  b.bars("Lieu de travail des actifs occupés", "%", [
    ["part_travail_commune", "Commune de résidence"],
    ["part_travail_autre_commune_dep", "Autre commune du département"],
    ["part_travail_autre_dep", "Autre département de la région"],
    ["part_travail_autre_region", "Autre région"],
    ["part_travail_etranger", "Hors métropole"],
  ]);
}

function logement(b) {
  const owners = b.keyId("Propriétaires", "part_proprietaires");
  b.keyId("Locataires HLM", "part_locataires_hlm");
  const vacant = b.keyId("Logements vacants", "taux_vacance");
  b.keyId("Résidences secondaires", "part_residences_secondaires");
  b.compare("la part des propriétaires", owners);
  b.compare("le taux de vacance", vacant);
  b.bars("Statut d'occupation des résidences principales", "%", [
    ["part_proprietaires", "Propriétaires"],
    ["part_locataires_prives", "Locataires du parc privé"],
    ["part_locataires_hlm", "Locataires HLM"],
  ]);
  b.bars("Logements vacants et résidences secondaires", "%", [
    ["taux_vacance", "Logements vacants"],
    ["part_residences_secondaires", "Résidences secondaires"],
  ]);
}

function revenus(b) {
  const median = b.keyId("Niveau de vie médian", "revenu_median");
  const d1 = b.latest("d1");
  const d9 = b.latest("d9");
  const ratio = b.keyId("Rapport D9/D1", "rapport_interdecile");
  b.compare("le niveau de vie médian", median);
  b.compare("le rapport interdécile D9/D1", ratio);
  b.barsOf("Niveau de vie annuel : 1er décile, médiane, 9e décile", "€", ["1er décile", "Médiane", "9e décile"], [d1, median, d9]);
  b.bars("Composition du revenu disponible", "%", [
    ["part_revenus_activite", "Revenus d'activité"],
    ["part_pensions", "Pensions, retraites"],
    ["part_revenus_patrimoine", "Patrimoine"],
    ["part_prestations_sociales", "Prestations sociales"],
    ["part_impots", "Impôts"],
  ]);
  b.lines("Niveau de vie médian", "revenu_median", between(b.data.years("revenu_median"), 2014, 2021));
}

function pauvrete(b) {
  const rate = b.keyId("Taux de pauvreté", "taux_pauvrete");
  b.keyId("Personnes pauvres (estimation)", "personnes_pauvres");
  b.compare("le taux de pauvreté", rate);
  // Rank among the EPCI of the study's (majority) région with a published
  // rate of the same year (1st = highest).
  const study = b.cols[0];
  const f = rate[0];
  if (study.kind === "epci" && hasValue(f) && study.regions.length) {
    const region = study.regions[0];
    const ind = b.data.indicators.get("taux_pauvrete");
    const s = ind.series.find((x) => x.year === f.year);
    let n = 0;
    let above = 0;
    let tie = 0;
    b.data.territories.forEach((t, i) => {
      if (t.kind !== "epci" || t.regions[0] !== region) return;
      if (b.data.statuses[s.status[i]] !== "value" || s.values[i] === null) return;
      n++;
      if (s.values[i] > f.value) above++;
      else if (s.values[i] === f.value && i !== study.index) tie++;
    });
    const rank = above + 1;
    b.panel.keys.push({
      label: `Rang dans la région ${f.year}`,
      text: `${rank}${rank === 1 ? "er" : "e"}${tie ? " ex æquo" : ""} sur ${n}`,
      note: "EPCI de la région au taux publié ; 1er = taux le plus élevé",
    });
  }
  b.lines("Taux de pauvreté", "taux_pauvrete", between(b.data.years("taux_pauvrete"), 2015, 2021));
  b.bars("Taux de pauvreté selon l'âge du référent fiscal", "%", [
    ["taux_pauvrete_age_moins30", "Moins de 30 ans"],
    ["taux_pauvrete_age_3039", "30-39 ans"],
    ["taux_pauvrete_age_4049", "40-49 ans"],
    ["taux_pauvrete_age_5059", "50-59 ans"],
    ["taux_pauvrete_age_6074", "60-74 ans"],
    ["taux_pauvrete_age_75p", "75 ans ou plus"],
  ]);
  b.bars("Taux de pauvreté selon le statut d'occupation", "%", [
    ["taux_pauvrete_proprietaires", "Propriétaires"],
    ["taux_pauvrete_locataires", "Locataires"],
  ]);
}

function prestations(b) {
  const households = b.keyId("Foyers allocataires CAF", "foyers_allocataires");
  const coverage = b.cols.map((t) => {
    const covered = b.data.latest("personnes_couvertes", t.index);
    let v = null;
    if (hasValue(covered)) {
      const years = b.data.years("population");
      const pops = years.map((y) => b.data.at("population", t.index, y)).filter((p) => hasValue(p) && p.value > 0);
      pops.sort((a, c) => Math.abs(a.year - covered.year) - Math.abs(c.year - covered.year) || c.year - a.year);
      if (pops.length) v = (covered.value / pops[0].value) * 100;
    }
    const f = { id: "part_population_couverte_caf", label: "Part de la population couverte par la CAF", unit: "%", year: covered.year, status: v === null ? (covered.status === "secret" ? "secret" : "not_available") : "value", value: v, source: covered.source };
    f.text = text(f);
    return f;
  });
  b.key("Population couverte par la CAF", coverage);
  b.keyId("Foyers allocataires du RSA", "foyers_rsa");
  b.keyId("Foyers bénéficiaires de la prime d'activité", "foyers_prime_activite");
  b.compare("la part de la population couverte par la CAF", coverage);
  b.compare("le nombre de foyers allocataires de la CAF", households);
  const shareOf = (id) =>
    b.cols.map((t) => {
      const f = b.data.latest(id, t.index);
      const all = b.data.at("foyers_allocataires", t.index, f.year);
      const v = hasValue(f) && hasValue(all) && all.value > 0 ? (f.value / all.value) * 100 : null;
      const g = { ...f, unit: "%", value: v, status: v === null ? f.status === "secret" ? "secret" : "not_available" : f.status };
      g.text = text(g);
      return g;
    });
  b.barsOf("Population couverte par la CAF", "%", ["Population couverte"], [coverage]);
  b.barsOf("Prestations perçues, en % des foyers allocataires", "%", ["RSA", "Prime d'activité", "Aide au logement"], [
    shareOf("foyers_rsa"),
    shareOf("foyers_prime_activite"),
    shareOf("foyers_aide_logement"),
  ]);
  const years = between(b.data.years("foyers_allocataires"), 2020, 2024);
  b.lines(`Foyers allocataires CAF, indice base 100 en ${years[0] ?? 2020}`, "foyers_allocataires", years, true);
}

const PANELS = [
  ["Population et territoire", population],
  ["Âges", ages],
  ["Ménages et familles", menages],
  ["Jeunesse", jeunesse],
  ["Emploi et activité", emploi],
  ["Logement", logement],
  ["Revenus", revenus],
  ["Pauvreté", pauvrete],
  ["Prestations sociales", prestations],
];

/** The nine panels of `key` against its default comparisons. */
export function snapshot(data, key) {
  const study = data.territory(key);
  const cols = [study, ...study.comparisons.map((k) => data.territory(k))];
  return {
    study,
    comparisons: cols.slice(1),
    panels: PANELS.map(([title, fill], i) => {
      const b = new Builder(data, cols, i + 1, title);
      fill(b);
      return b.finish();
    }),
  };
}

// How a territory is described under its name, the same in the viewer
// (app.js) and the widget: « Intercommunalité (métropole) · Loire-Atlantique
// · Pays de la Loire ».

const EPCI_TYPES = {
  CC: "communauté de communes",
  CA: "communauté d'agglomération",
  CU: "communauté urbaine",
  ME: "métropole",
  MET69: "métropole",
};

/** `t`: a territory as the core returns it ({kind, kind_label, epci_type,
 * departements, regions}). */
export function describe(t) {
  const parts = [t.kind === "epci" && EPCI_TYPES[t.epci_type] ? `Intercommunalité (${EPCI_TYPES[t.epci_type]})` : t.kind_label];
  if (t.kind === "epci" || t.kind === "com") parts.push((t.departements ?? []).join(", "));
  if (t.kind !== "reg" && t.kind !== "pays") parts.push((t.regions ?? []).join(", "));
  return parts.filter(Boolean).join(" · ");
}

// Small DOM helpers shared by the viewer page (app.js, maps.js through
// it), the widget (territory-snapshot.js) and the embed snippets.

/** `h("p", {class: "x", hidden: true}, "text", node)`: an element with its
 * attributes (null, undefined and false ones left out, true as "") and
 * children (nested arrays flattened; null, undefined and "" skipped). */
export function h(tag, attrs = {}, ...children) {
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

/**
 * The data table of an infographic or a map, as the core gives it
 * ({caption, columns, rows}), the row of `studyName` marked with
 * `studyClass`: the text alternative to the chart.
 */
export function dataTable(t, studyName, { tableClass = null, studyClass = "row-study" } = {}) {
  const table = h("table", { class: tableClass });
  if (!t) {
    table.createCaption().textContent = "Aucune donnée";
    return table;
  }
  table.createCaption().textContent = t.caption || "Données de l'infographie";
  const head = table.createTHead().insertRow();
  (t.columns ?? []).forEach((c) => head.append(h("th", { scope: "col" }, c)));
  const body = table.createTBody();
  for (const row of t.rows ?? []) {
    const tr = body.insertRow();
    row.forEach((cell, i) => tr.append(i === 0 ? h("th", { scope: "row" }, cell) : h("td", {}, cell)));
    if (row[0] === studyName) tr.className = studyClass;
  }
  return table;
}

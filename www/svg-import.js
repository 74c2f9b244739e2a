// Puts the core's SVG (infographics, maps) into a page safely. Shared by
// the viewer page (app.js, and maps.js through it) and the
// <territory-snapshot> widget.
//
// The core escapes every text it writes, so its SVG is trusted; this is a
// second, cheap line of defence (a crafted pack, a bug). The text is parsed
// by the HTML parser into an inert <template> (nothing there runs or loads:
// no script, no image, no event handler), which is 3 to 5 times faster than
// DOMParser's XML parser on these SVGs (measured in Chromium: 10.8 → 2.7 ms
// for the nine panels, 14.2 → 3.1 ms for the France map); then anything
// active is dropped, as are inline styles, which a strict CSP forbids, and
// only then is the tree adopted into the page.

const SVG_NS = "http://www.w3.org/2000/svg";
const FORBIDDEN = new Set(["script", "foreignObject", "iframe", "object", "embed", "audio", "video", "style", "animate", "set", "animateMotion", "animateTransform", "handler", "listener"]);
// The attributes whose value may reference a resource with url(…): paint
// servers, clipping, masking, filters and markers (a url( in any other
// attribute, such as a label, is plain text and stays as written).
const URL_ATTRIBUTES = ["fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid", "marker-end", "cursor"];
// Every attribute name looked at besides the event handlers.
const CHECKED = new Set(["style", "href", "xlink:href", "aria-labelledby", "aria-describedby", ...URL_ATTRIBUTES]);

/**
 * Parses the core's SVG (in an inert template), drops anything active
 * (scripts, event handlers, foreign content, outside links), makes its ids
 * unique in the page with `prefix`, gives it an accessible name from its
 * <title>/<desc>, and moves it into `doc` (adopted, not cloned). Null when
 * unusable.
 *
 * Speed matters: every territory switch imports nine panels and the map
 * highlight. Attributes are read by name (`getAttributeNames`,
 * `getAttribute`), never through `el.attributes`, whose Attr objects
 * Chromium creates on access and which made the cleaning cost as much as
 * the parse itself.
 */
export function importSvg(text, prefix, doc = document) {
  if (!text) return null;
  // A cut text still parses as HTML: demand the whole document.
  if (!text.trimEnd().endsWith("</svg>")) return null;
  const root = parseSvg(text, doc);
  if (!root) return null;
  // The ids first (a reference may come before its target), renamed.
  const ids = new Map();
  renameIds(root, prefix, ids);
  clean(root, ids);
  if (!root.hasAttribute("viewBox")) {
    const w = parseFloat(root.getAttribute("width"));
    const hgt = parseFloat(root.getAttribute("height"));
    if (w > 0 && hgt > 0) root.setAttribute("viewBox", `0 0 ${w} ${hgt}`);
  }
  if (!root.hasAttribute("role")) root.setAttribute("role", "img");
  root.setAttribute("focusable", "false");
  const titleEl = [...root.children].find((c) => c.localName === "title");
  if (titleEl && !root.hasAttribute("aria-labelledby")) {
    if (!titleEl.id) titleEl.id = `${prefix}title`;
    const desc = [...root.children].find((c) => c.localName === "desc");
    if (desc && !desc.id) desc.id = `${prefix}desc`;
    root.setAttribute("aria-labelledby", titleEl.id);
    if (desc) root.setAttribute("aria-describedby", desc.id);
  }
  // Adopting moves the parsed tree into the page: no deep copy (importNode
  // cloned every node: 15 to 30 % of the nine panels' import).
  const node = doc.adoptNode(root);
  node.classList.add("infographic");
  return node;
}

/**
 * Turns `svg` (imported by `importSvg` with `prefix`) into the next
 * document the core sends as a `patch` of it (`viewer.infographics` with
 * the keys shown: JSON text, format in src/render/patch.rs): only the
 * attributes, texts and elements that differ change, so the browser lays
 * out again only those (a switch moves or changes about a third of the
 * texts). What the patch brings is cleaned as `importSvg` cleans a
 * document: attributes through the same checks, ids renamed with
 * `prefix`, inserted markup parsed inert and cleaned. True when applied;
 * false, with nothing changed, when the patch does not fit `svg` (another
 * document, or one changed since): the caller then imports the whole one.
 */
export function patchSvg(svg, patch, prefix) {
  let ops;
  try {
    ops = JSON.parse(patch);
  } catch {
    return false;
  }
  // Every element, in document order, before any change (the ops address
  // them so): the root, then a static list of its descendants.
  const below = svg.querySelectorAll("*");
  const count = below.length + 1;
  const at = (i) => (i === 0 ? svg : below[i - 1]);
  if (!Array.isArray(ops) || ops[0] !== count) return false;
  // Checked whole before anything changes; the markup to insert gathered.
  const pieces = [];
  const newIds = [];
  for (let k = 1; k < ops.length; k++) {
    const op = ops[k];
    if (!Array.isArray(op) || !Number.isInteger(op[1]) || op[1] < 0 || op[1] >= count) return false;
    const kind = op[0], i = op[1], a = op[2], b = op[3];
    const fits =
      kind === "a" ? NAME.test(a) && typeof b === "string"
      : kind === "r" ? typeof a === "string"
      : kind === "t" ? typeof a === "string" && !at(i).firstElementChild
      : kind === "b" ? typeof a === "string" && i > 0
      : kind === "e" ? typeof a === "string"
      : kind === "x" && i > 0;
    if (!fits) return false;
    if (kind === "b" || kind === "e") pieces.push(`<g>${a}</g>`);
    else if (kind === "a" && a === "id") newIds.push(op);
  }
  // The markup is parsed at once, each piece in a group of its own (one
  // parse, not one per piece).
  const root = pieces.length ? parseSvg(`<svg xmlns="${SVG_NS}">${pieces.join("")}</svg>`, svg.ownerDocument) : null;
  // A piece that closed more than it opened would shift the others.
  if (pieces.length && root?.children.length !== pieces.length) return false;
  // The page's ids by the document's own (the prefix taken off); then the
  // patch's new ids, set first, and those of the markup it inserts, so
  // that every reference, wherever it comes, finds its target.
  const ids = new Map();
  for (const el of svg.querySelectorAll("[id]")) {
    if (el.id.startsWith(prefix)) ids.set(el.id.slice(prefix.length), el.id);
  }
  for (const [, i, , value] of newIds) {
    const id = unescape(value);
    ids.set(id, prefix + id);
    at(i).setAttribute("id", prefix + id);
  }
  let inserted = [];
  if (root) {
    renameIds(root, prefix, ids, false);
    clean(root, ids, false);
    inserted = [...root.children];
  }
  let piece = 0;
  for (let k = 1; k < ops.length; k++) {
    const op = ops[k];
    const kind = op[0], el = at(op[1]), a = op[2];
    if (kind === "a") {
      if (a !== "id") setChecked(el, a, unescape(op[3]), ids);
    } else if (kind === "r") el.removeAttribute(a);
    else if (kind === "t") {
      // The text node's data changed in place: no node made and dropped.
      const node = el.firstChild;
      if (node && node.nodeType === 3 && !node.nextSibling) node.data = unescape(a);
      else el.textContent = unescape(a);
    }
    else if (kind === "x") el.remove();
    else {
      const added = inserted[piece++]?.children ?? [];
      if (kind === "b") el.before(...added);
      else el.append(...added);
    }
  }
  return true;
}

/**
 * The infographic of `panel` (an entry of `viewer.infographics`) as an
 * element: `shown` itself, patched in place, when the panel comes as a
 * patch of it; else its whole document imported (asked of `viewer` by key
 * when only a patch came and it did not fit). Null when unusable. The one
 * switch path of the page, the widget and the bench.
 */
export function infographicSvg(panel, shown, prefix, viewer) {
  if (panel.patch && shown && patchSvg(shown, panel.patch, prefix)) return shown;
  const text = panel.svg ?? (panel.key === undefined ? undefined : viewer.infographic_svg(panel.key));
  return importSvg(text, prefix);
}

// The entities the core writes (src/render/svg.rs push_escaped).
const ENTITIES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&apos;": "'", "&#9;": "\t", "&#10;": "\n", "&#13;": "\r" };
const unescape = (text) => (text.includes("&") ? text.replace(/&(?:amp|lt|gt|quot|apos|#9|#10|#13);/g, (e) => ENTITIES[e]) : text);

// An attribute name a patch may set: what the core writes, lower case
// (letters, digits, `-`, `:`) but for three SVG names. No other capital:
// the checks below compare names as written, with no case folding to pay
// for on every attribute of every switch.
const NAME = /^(?:[a-z][a-z0-9:-]*|viewBox|patternUnits|patternTransform)$/;
const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** The core's SVG text parsed by the HTML parser in an inert template: its
 * <svg> root, or null. */
function parseSvg(text, doc) {
  const template = doc.createElement("template");
  template.innerHTML = text;
  const found = template.content.children;
  const root = found.length === 1 ? found[0] : null;
  return root && root.namespaceURI === SVG_NS && root.localName === "svg" ? root : null;
}

/** Prefixes every id under `root` (and its own, unless `self` is false),
 * recording them in `ids`. */
function renameIds(root, prefix, ids, self = true) {
  for (const el of root.querySelectorAll("[id]")) {
    const id = el.getAttribute("id");
    ids.set(id, prefix + id);
    el.setAttribute("id", prefix + id);
  }
  if (self && root.hasAttribute("id")) {
    const id = root.getAttribute("id");
    ids.set(id, prefix + id);
    root.setAttribute("id", prefix + id);
  }
}

// url(#id) of an id of this document follows the renaming; any other
// url(…) (another document, another element of the page) becomes none.
const rewriteUrl = (value, ids) =>
  value.replace(/url\(\s*(['"]?)([^)'"]*)\1\s*\)/g, (m, q, target) => {
    const id = target.startsWith("#") ? target.slice(1).trim() : null;
    return id && ids.has(id) ? `url(#${ids.get(id)})` : "none";
  });

/** An event handler's name ("on…", lower case as the HTML parser and
 * NAME leave names). */
const isHandler = (name) => name.charCodeAt(0) === 111 && name.charCodeAt(1) === 110;

/** `value` as attribute `name` of `el` may have it: a checked attribute
 * rewritten (references renamed, outside links dropped), an event handler
 * or an inline style never set. */
function checked(name, value, ids) {
  if (isHandler(name)) return null;
  if (!CHECKED.has(name)) return value;
  if (name === "style") return null; // inline styles: the CSP forbids them
  if (name === "href" || name === "xlink:href") {
    const id = value.startsWith("#") ? value.slice(1) : null;
    return id && ids.has(id) ? `#${ids.get(id)}` : null;
  }
  if (name === "aria-labelledby" || name === "aria-describedby") {
    return value
      .split(/\s+/)
      .filter((id) => ids.has(id))
      .map((id) => ids.get(id))
      .join(" ");
  }
  return value.includes("url(") ? rewriteUrl(value, ids) : value; // URL_ATTRIBUTES
}

/** A patch's attribute (not an id; its name matched by NAME) set
 * through the same checks as a document's. */
function setChecked(el, name, value, ids) {
  const v = checked(name, value, ids);
  if (v === null) el.removeAttribute(name);
  else if (name.startsWith("xml:")) el.setAttributeNS(XML_NS, name, v);
  else el.setAttribute(name, v);
}

/** Drops what is not plain SVG drawing under `root` (and `root` itself
 * when `self`; its subtree goes with it), then checks the attributes of
 * what stays, in one pass. */
function clean(root, ids, self = true) {
  const all = root.getElementsByTagName("*"); // live: walked backwards
  for (let i = self ? all.length : all.length - 1; i >= 0; i--) {
    const el = i === all.length ? root : all[i];
    if (el.namespaceURI !== SVG_NS || FORBIDDEN.has(el.localName)) {
      el.remove();
      continue;
    }
    for (const name of el.getAttributeNames()) {
      // The HTML parser lowercases attribute names: "on…" is an event
      // handler whatever its case in the text.
      if (isHandler(name) || CHECKED.has(name)) {
        const value = checked(name, el.getAttribute(name), ids);
        if (value === null) el.removeAttribute(name);
        else if (value !== el.getAttribute(name)) el.setAttribute(name, value);
      }
    }
  }
}

/** The map's highlight outlines, `<g data-outlines>` (written by the core
 * in every map, and alone by viewer.map_outlines), at the top of `svg`;
 * null when absent. */
export function outlinesGroup(svg) {
  return svg?.querySelector(":scope > g[data-outlines]") ?? null;
}

/** `svg`'s proportions as a CSS aspect-ratio ("480 / 1468"), "" without a
 * usable viewBox: a box given them has its final height before its content
 * is laid out (content-visibility). */
export function aspectRatio(svg) {
  const box = svg?.viewBox?.baseVal;
  return box?.width > 0 && box.height > 0 ? `${box.width} / ${box.height}` : "";
}

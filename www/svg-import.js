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
  const template = doc.createElement("template");
  template.innerHTML = text;
  const found = template.content.children;
  const root = found.length === 1 ? found[0] : null;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== "svg") return null;
  // The ids first (a reference may come before its target), renamed.
  const ids = new Map();
  for (const el of root.querySelectorAll("[id]")) {
    const id = el.getAttribute("id");
    ids.set(id, prefix + id);
    el.setAttribute("id", prefix + id);
  }
  if (root.hasAttribute("id")) {
    const id = root.getAttribute("id");
    ids.set(id, prefix + id);
    root.setAttribute("id", prefix + id);
  }
  const check = (el, name) => {
    if (name === "style") {
      el.removeAttribute(name); // inline styles: the CSP forbids them
    } else if (name === "href" || name === "xlink:href") {
      const value = el.getAttribute(name);
      const id = value.startsWith("#") ? value.slice(1) : null;
      if (id && ids.has(id)) el.setAttribute(name, `#${ids.get(id)}`);
      else el.removeAttribute(name);
    } else if (name === "aria-labelledby" || name === "aria-describedby") {
      const kept = el
        .getAttribute(name)
        .split(/\s+/)
        .filter((id) => ids.has(id))
        .map((id) => ids.get(id));
      el.setAttribute(name, kept.join(" "));
    } else {
      const value = el.getAttribute(name); // URL_ATTRIBUTES
      if (value.includes("url(")) el.setAttribute(name, rewriteUrl(value));
    }
  };
  // url(#id) of an id of this document follows the renaming; any other
  // url(…) (another document, another element of the page) becomes none.
  const rewriteUrl = (value) =>
    value.replace(/url\(\s*(['"]?)([^)'"]*)\1\s*\)/g, (m, q, target) => {
      const id = target.startsWith("#") ? target.slice(1).trim() : null;
      return id && ids.has(id) ? `url(#${ids.get(id)})` : "none";
    });
  // One pass over every element: drop what is not plain SVG drawing (its
  // subtree goes with it), then check the attributes of what stays.
  const all = root.getElementsByTagName("*"); // live: walked backwards
  for (let i = all.length; i >= 0; i--) {
    const el = i === all.length ? root : all[i];
    if (el.namespaceURI !== SVG_NS || FORBIDDEN.has(el.localName)) {
      el.remove();
      continue;
    }
    for (const name of el.getAttributeNames()) {
      // The HTML parser lowercases attribute names: "on…" is an event
      // handler whatever its case in the text.
      if (name.charCodeAt(0) === 111 && name.charCodeAt(1) === 110) {
        el.removeAttribute(name); // event handlers
      } else if (CHECKED.has(name)) {
        check(el, name);
      }
    }
  }
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

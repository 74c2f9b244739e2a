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

/**
 * Parses the core's SVG (in an inert template), drops anything active
 * (scripts, event handlers, foreign content, outside links), makes its ids
 * unique in the page with `prefix`, gives it an accessible name from its
 * <title>/<desc>, and moves it into `doc` (adopted, not cloned). Null when
 * unusable.
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
  // First pass: drop what is not plain SVG drawing, rename the ids.
  const ids = new Map();
  for (const el of [root, ...root.getElementsByTagName("*")]) {
    if (el.namespaceURI !== SVG_NS || FORBIDDEN.has(el.localName)) {
      el.remove();
      continue;
    }
    const id = el.getAttribute("id");
    if (id) {
      ids.set(id, prefix + id);
      el.setAttribute("id", prefix + id);
    }
  }
  const rewriteUrl = (value) => value.replace(/url\(\s*#([^)\s]+)\s*\)/g, (m, id) => (ids.has(id) ? `url(#${ids.get(id)})` : "none"));
  // Second pass, over what is left: every attribute of every element.
  for (const el of [root, ...root.getElementsByTagName("*")]) {
    const attrs = el.attributes;
    for (let i = attrs.length - 1; i >= 0; i--) {
      const attr = attrs[i];
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith("on")) {
        el.removeAttributeNode(attr);
      } else if (name === "href" || name === "xlink:href") {
        const id = value.startsWith("#") ? value.slice(1) : null;
        if (id && ids.has(id)) attr.value = `#${ids.get(id)}`;
        else el.removeAttributeNode(attr);
      } else if (name === "aria-labelledby" || name === "aria-describedby") {
        attr.value = value
          .split(/\s+/)
          .filter((id) => ids.has(id))
          .map((id) => ids.get(id))
          .join(" ");
      } else if (name === "style") {
        el.removeAttributeNode(attr); // inline styles: the CSP forbids them
      } else if (value.includes("url(")) {
        attr.value = rewriteUrl(value);
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

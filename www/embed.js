// The iframe variant of the widget: reads the view from the query string
// (French names, as the viewer's URLs) and sets the element's attributes.
// The frame tells its parent its height (postMessage {type:
// "instantane:hauteur", height}), for hosts that can resize it; nothing
// else leaves the frame.
import "./territory-snapshot.js";

const PARAMS = [
  ["territoire", "territory"],
  ["comparer", "compare"],
  ["infographies", "panels"],
  ["cartes", "maps"],
  ["vue", "map-view"],
];

const el = document.getElementById("snapshot");
const params = new URLSearchParams(location.search);
for (const [param, attr] of PARAMS) {
  if (params.has(param)) el.setAttribute(attr, params.get(param));
}
if (params.get("recherche") === "non") el.setAttribute("search", "off");
if (params.get("export") === "non") el.setAttribute("export", "off");

// The full viewer on the same view.
const open = document.getElementById("open");
const full = new URL("./", location.href);
for (const name of ["territoire", "comparer"]) if (params.has(name)) full.searchParams.set(name, params.get(name));
open.href = full.href;

el.addEventListener("territorychange", (e) => {
  document.title = `${e.detail.name} — Instantané territorial`;
  full.searchParams.set("territoire", e.detail.code);
  open.href = full.href;
});

if (window.parent !== window) {
  let last = 0;
  new ResizeObserver(() => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "instantane:hauteur", height }, "*");
    }
  }).observe(document.body);
}

// Offline use: after one visit, the viewer and the PDF export work with the
// network cut. Network first, so a rebuilt pack or page is picked up at
// once when online; the cache is the fallback. Everything the viewer and
// the PDF export need is cached at install, the PDF module included: the
// service worker fetches it in the background, the page itself still loads
// it only on the first export. The widget (territory-snapshot.js) and its
// iframe page (embed.html) are cached too, for pages of this site.
const CACHE = "instantane-v1";
const ASSETS = [
  "./",
  "index.html",
  "app.js",
  "maps.js",
  "pdf-export.js",
  "pdf-worker.js",
  "style.css",
  "svg-import.js",
  "dom.js",
  "describe.js",
  "embed-snippet.js",
  "territory-snapshot.js",
  "territory-snapshot.css",
  "embed.html",
  "embed.js",
  "embed.css",
  "fonts/DejaVuSans.ttf",
  "fonts/DejaVuSans-Bold.ttf",
  "pkg/territoire.js",
  "pkg/territoire_bg.wasm",
  "pdf/territoire_pdf.js",
  "pdf/territoire_pdf_bg.wasm",
  "pack.bin",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(ASSETS))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          // The query string only carries the view (?territoire=…): one
          // cached page serves every view.
          const key = new URL(request.url);
          key.search = "";
          event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key.href, copy)));
        }
        return response;
      })
      .catch(() =>
        caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? Response.error()),
      ),
  );
});

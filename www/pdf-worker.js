// The PDF writer's worker (a module worker, started by pdf-export.js on the
// first export). It imports the separate `territoire-pdf` wasm module
// (www/pdf/, built by scripts/build-wasm.sh) only when the first request
// arrives, initialises it once, fetches the data pack itself (the page's
// own copy: same URL, served from the HTTP or offline cache) and keeps it
// loaded, then lays out each requested snapshot document and writes it as
// PDF bytes, off the page's main thread. The viewer's core, loaded with the
// page, carries no document layout.
//
// Messages in:  { id, pack: URL of the data pack (absolute),
//                 request: { code, compare?, comments?, maps?, date },
//                 fonts?: { regular: ArrayBuffer, bold: ArrayBuffer } }
//               (the fonts come with the first request and are kept;
//               `request` as createPdfExport's prepare() returns it, see
//               pdf-export.js)
// Messages out: { id, type: "progress", stage: "loading" | "rendering" }
//               { id, type: "done", bytes: ArrayBuffer (transferred), pages, ms }
//               { id, type: "error", stage?, message, fatal }   fatal: drop this worker

let module = null; // the initialised module's exports, once loaded
let loading = null; // its loading promise
let fonts = null; // { regular: Uint8Array, bold: Uint8Array }
let exporter = null; // { url, value: PdfExporter } for the last pack URL
let exporterLoading = null; // { url, promise }

function load(id) {
  if (!loading) {
    self.postMessage({ id, type: "progress", stage: "loading" });
    loading = (async () => {
      const mod = await import("./pdf/territoire_pdf.js");
      await mod.default();
      if (typeof mod.PdfExporter !== "function") throw new Error("le module PDF ne fournit pas PdfExporter");
      module = mod;
      return mod;
    })();
    // A failed load may succeed later (network): forget it.
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** The exporter holding the pack at `url`: fetched and loaded once. */
function exporterFor(mod, url, id) {
  if (exporter?.url === url) return Promise.resolve(exporter.value);
  if (exporterLoading?.url === url) return exporterLoading.promise;
  self.postMessage({ id, type: "progress", stage: "loading" });
  const promise = (async () => {
    let res;
    try {
      res = await fetch(url, { cache: "no-cache" });
    } catch {
      throw new Error("le serveur ne répond pas (fichier de données)");
    }
    if (!res.ok) throw new Error(`le fichier de données est introuvable (réponse du serveur : ${res.status})`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    let value;
    try {
      value = new mod.PdfExporter(bytes, fonts.regular, fonts.bold);
    } catch (err) {
      const failure = new Error(`le fichier de données est inutilisable (${messageOf(err)})`);
      failure.fatal = isTrap(err);
      throw failure;
    }
    exporter?.value.free();
    exporter = { url, value };
    return value;
  })();
  exporterLoading = { url, promise };
  const forget = () => {
    if (exporterLoading?.promise === promise) exporterLoading = null;
  };
  promise.then(forget, forget);
  return promise;
}

function messageOf(err) {
  const text = err instanceof Error ? err.message : String(err ?? "");
  return text || "erreur inconnue";
}

/** A trap (WebAssembly.RuntimeError) leaves the module in an unknown state:
 * the page drops this worker and starts a fresh one next time. A JsError is
 * the module's own French message. */
function isTrap(err) {
  return !(err instanceof Error) || err instanceof WebAssembly.RuntimeError || err.name === "RuntimeError";
}

const text = (v) => (v === undefined || v === null ? undefined : String(v));

self.addEventListener("message", async (event) => {
  const { id, pack, request, fonts: given } = event.data ?? {};
  if (given) fonts = { regular: new Uint8Array(given.regular), bold: new Uint8Array(given.bold) };
  if (!fonts) {
    self.postMessage({ id, type: "error", message: "les polices DejaVu Sans n'ont pas été transmises au module PDF", fatal: false });
    return;
  }
  if (!request || typeof request.code !== "string" || !request.code || typeof pack !== "string" || !pack) {
    self.postMessage({ id, type: "error", message: "la demande d'export est incomplète (territoire ou fichier de données)", fatal: false });
    return;
  }
  let mod;
  try {
    mod = module ?? (await load(id));
  } catch (err) {
    self.postMessage({
      id,
      type: "error",
      stage: "loading",
      message: `le module PDF n'a pas pu être chargé (${messageOf(err)})`,
      fatal: false,
    });
    return;
  }
  let pdf;
  try {
    pdf = await exporterFor(mod, pack, id);
  } catch (err) {
    self.postMessage({ id, type: "error", stage: "pack", message: messageOf(err), fatal: err?.fatal === true });
    return;
  }
  self.postMessage({ id, type: "progress", stage: "rendering" });
  const t0 = performance.now();
  let out;
  let pages;
  try {
    const comments = request.comments ? JSON.stringify(request.comments) : "";
    const maps = Array.isArray(request.maps) && request.maps.length ? JSON.stringify(request.maps) : undefined;
    out = pdf.render(request.code, text(request.compare), comments, maps, String(request.date ?? ""));
    pages = pdf.pages;
  } catch (err) {
    self.postMessage({ id, type: "error", stage: "rendering", message: messageOf(err), fatal: isTrap(err) });
    return;
  }
  const ms = performance.now() - t0;
  let bytes = out instanceof Uint8Array ? out : new Uint8Array(out);
  // Transfer a buffer that holds exactly the PDF (never wasm memory).
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) {
    bytes = bytes.slice();
  }
  const buffer = bytes.buffer;
  self.postMessage({ id, type: "done", bytes: buffer, pages: pages || null, ms }, [buffer]);
});

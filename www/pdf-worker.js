// The PDF writer's worker (a module worker, started by pdf-export.js on the
// first export). It imports the separate `territoire-pdf` wasm module
// (www/pdf/, built by scripts/build-wasm.sh) only when the first document
// arrives, initialises it once, and turns each document (the core's JSON)
// into PDF bytes, off the page's main thread.
//
// Messages in:  { id, json, fonts?: { regular: ArrayBuffer, bold: ArrayBuffer } }
//               (the fonts come with the first request and are kept)
// Messages out: { id, type: "progress", stage: "loading" | "rendering" }
//               { id, type: "done", bytes: ArrayBuffer (transferred), pages, ms }
//               { id, type: "error", message, fatal }   fatal: drop this worker

let module = null; // the initialised module's exports, once loaded
let loading = null; // its loading promise
let fonts = null; // { regular: Uint8Array, bold: Uint8Array }

function load(id) {
  if (!loading) {
    self.postMessage({ id, type: "progress", stage: "loading" });
    loading = (async () => {
      const mod = await import("./pdf/territoire_pdf.js");
      await mod.default();
      if (typeof mod.render_pdf !== "function") throw new Error("le module PDF ne fournit pas render_pdf");
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

function pageCount(json) {
  try {
    const doc = JSON.parse(json);
    return Array.isArray(doc?.pages) ? doc.pages.length : null;
  } catch {
    return null;
  }
}

function messageOf(err) {
  const text = err instanceof Error ? err.message : String(err ?? "");
  return text || "erreur inconnue";
}

self.addEventListener("message", async (event) => {
  const { id, json, fonts: given } = event.data ?? {};
  if (given) fonts = { regular: new Uint8Array(given.regular), bold: new Uint8Array(given.bold) };
  if (!fonts) {
    self.postMessage({ id, type: "error", message: "les polices DejaVu Sans n'ont pas été transmises au module PDF", fatal: false });
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
  self.postMessage({ id, type: "progress", stage: "rendering" });
  const t0 = performance.now();
  let out;
  try {
    out = mod.render_pdf(json, fonts.regular, fonts.bold);
  } catch (err) {
    // A JsError is the writer's own French message; anything else (a trap:
    // WebAssembly.RuntimeError) leaves the module in an unknown state, so
    // the page drops this worker and starts a fresh one next time.
    const fatal = !(err instanceof Error) || err instanceof WebAssembly.RuntimeError || err.name === "RuntimeError";
    self.postMessage({ id, type: "error", stage: "rendering", message: messageOf(err), fatal });
    return;
  }
  const ms = performance.now() - t0;
  let bytes = out instanceof Uint8Array ? out : new Uint8Array(out);
  // Transfer a buffer that holds exactly the PDF (never wasm memory).
  if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength || !(bytes.buffer instanceof ArrayBuffer)) {
    bytes = bytes.slice();
  }
  const buffer = bytes.buffer;
  self.postMessage({ id, type: "done", bytes: buffer, pages: pageCount(json), ms }, [buffer]);
});

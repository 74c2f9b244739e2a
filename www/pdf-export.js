// « Exporter en PDF »: an A4 PDF made entirely in the browser.
//
//   1. main thread: the core lays the document out (`viewer.pdf_document`,
//      fast) from the study territory, the comparisons, the comments and
//      the maps section's requests, as JSON;
//   2. a module worker (pdf-worker.js, started on the first export) loads
//      the separate PDF module (www/pdf/territoire_pdf.js + its wasm) the
//      first time, and writes the PDF with the page's DejaVu Sans fonts;
//   3. the bytes come back (transferred) and download through a Blob URL
//      as instantane-<code>-<YYYY-MM-DD>.pdf.
//
// The page never loads the PDF module before the first export. Comments are
// only read here (saved first), never changed, so a failed export loses
// nothing. The button carries data-pdf-state: idle | busy | done | error
// (used by tests), and each export leaves the performance measures
// "instantane:pdf-document" (the core call) and "instantane:pdf" (click to
// download).

const FONTS = { regular: "fonts/DejaVuSans.ttf", bold: "fonts/DejaVuSans-Bold.ttf" };
const frenchInt = new Intl.NumberFormat("fr-FR");

/** Today in local time, `YYYY-MM-DD`. */
export function today(d = new Date()) {
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** « 512 Ko », « 1,4 Mo » (1 Ko = 1 024 octets). */
export function frenchSize(bytes) {
  if (bytes >= 1024 * 1024) {
    return `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} Mo`;
  }
  return `${frenchInt.format(Math.max(1, Math.round(bytes / 1024)))} Ko`;
}

/** Lets the browser paint the status before a synchronous call. */
function nextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/**
 * Wires the button. `ctx`: {
 *   button, status (role=status), error (role=alert),
 *   prepare() → { code, fileCode, name, document: () → JSON string } or
 *              throws (French) — called on click, on the main thread,
 *   messageOf(err) → French text,
 * }
 */
export function createPdfExport(ctx) {
  const { button, status, error } = ctx;
  let worker = null;
  let workerHasFonts = false;
  let fonts = null; // Promise<{ regular: ArrayBuffer, bold: ArrayBuffer }>
  let moduleReady = false; // the worker has loaded the PDF module once
  let seq = 0;
  const pending = new Map(); // id → { resolve, reject, onProgress }

  function setState(s) {
    button.dataset.pdfState = s;
  }
  setState("idle");

  function say(text) {
    status.textContent = text;
  }

  function showError(text) {
    error.textContent = text;
    error.hidden = !text;
  }

  function loadFonts() {
    if (!fonts) {
      fonts = (async () => {
        const get = async (url) => {
          let res;
          try {
            res = await fetch(url);
          } catch {
            throw new Error("le serveur ne répond pas (polices DejaVu Sans)");
          }
          if (!res.ok) throw new Error(`la police ${url} est introuvable (réponse du serveur : ${res.status})`);
          return res.arrayBuffer();
        };
        const [regular, bold] = await Promise.all([get(FONTS.regular), get(FONTS.bold)]);
        return { regular, bold };
      })();
      fonts.catch(() => {
        fonts = null; // try again next time
      });
    }
    return fonts;
  }

  function dropWorker(reason) {
    if (!worker) return;
    worker.terminate();
    worker = null;
    workerHasFonts = false;
    moduleReady = false;
    for (const [id, p] of pending) {
      pending.delete(id);
      p.reject(reason);
    }
  }

  function getWorker() {
    if (worker) return worker;
    try {
      worker = new Worker(new URL("./pdf-worker.js", import.meta.url), { type: "module", name: "pdf" });
    } catch (err) {
      worker = null;
      throw new Error(`le navigateur ne peut pas lancer le module PDF (${ctx.messageOf(err)})`);
    }
    worker.addEventListener("message", (e) => {
      const msg = e.data ?? {};
      const p = pending.get(msg.id);
      if (!p) return;
      if (msg.type === "progress") {
        if (msg.stage === "rendering") moduleReady = true;
        p.onProgress(msg.stage);
      } else if (msg.type === "done") {
        pending.delete(msg.id);
        p.resolve(msg);
      } else if (msg.type === "error") {
        pending.delete(msg.id);
        const err = new Error(msg.message);
        err.stage = msg.stage;
        p.reject(err);
        if (msg.fatal) dropWorker(new Error("le module PDF s'est arrêté"));
      }
    });
    // The worker's script (or a module it imports) failed to load or threw.
    worker.addEventListener("error", (e) => {
      e.preventDefault?.();
      dropWorker(new Error(`le module PDF n'a pas pu démarrer${e.message ? ` (${e.message})` : ""}`));
    });
    worker.addEventListener("messageerror", () => {
      dropWorker(new Error("le module PDF a renvoyé un message illisible"));
    });
    return worker;
  }

  function render(json, font, onProgress) {
    const w = getWorker();
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress });
      const msg = { id, json };
      if (!workerHasFonts) {
        // Copies: the page keeps its own, for a fresh worker after a failure.
        msg.fonts = { regular: font.regular.slice(0), bold: font.bold.slice(0) };
        w.postMessage(msg, [msg.fonts.regular, msg.fonts.bold]);
        workerHasFonts = true;
      } else {
        w.postMessage(msg);
      }
    });
  }

  function download(bytes, name) {
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/pdf" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    a.hidden = true;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  async function run() {
    if (button.disabled) return;
    const t0 = performance.now();
    const hadFocus = document.activeElement === button;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    setState("busy");
    showError("");
    say("Préparation du document…");
    let stage = "document";
    try {
      const fontsReady = loadFonts(); // in parallel with the layout
      fontsReady.catch(() => {}); // awaited below
      await nextPaint();
      const job = ctx.prepare();
      const t1 = performance.now();
      let json;
      try {
        json = job.document();
      } catch (err) {
        throw new Error(`le document n'a pas pu être mis en forme (${ctx.messageOf(err)})`);
      }
      const t2 = performance.now();
      if (typeof json !== "string" || !json) throw new Error("le moteur de la visionneuse n'a pas renvoyé de document");
      stage = "fonts";
      const font = await fontsReady;
      stage = "worker";
      if (!moduleReady) say("Chargement du module PDF…");
      const result = await render(json, font, (s) => {
        if (s === "loading") say("Chargement du module PDF…");
        else if (s === "rendering") say("Mise en page du PDF…");
      });
      const bytes = new Uint8Array(result.bytes);
      if (bytes.length < 5 || String.fromCharCode(...bytes.subarray(0, 5)) !== "%PDF-") {
        throw new Error("le module PDF a produit un fichier invalide");
      }
      const name = `instantane-${String(job.fileCode).replace(/[^A-Za-z0-9_-]/g, "_")}-${job.date}.pdf`;
      download(bytes, name);
      const t3 = performance.now();
      const pages = result.pages;
      say(
        pages
          ? `PDF prêt (${frenchInt.format(pages)} ${pages > 1 ? "pages" : "page"}, ${frenchSize(bytes.length)})`
          : `PDF prêt (${frenchSize(bytes.length)})`,
      );
      button.dataset.pdfName = name;
      button.dataset.pdfBytes = String(bytes.length);
      button.dataset.pdfPages = String(pages ?? "");
      setState("done");
      try {
        performance.measure("instantane:pdf-document", { start: t1, end: t2 });
        performance.measure("instantane:pdf", { start: t0, end: t3 });
      } catch {
        // no User Timing level 3: nothing else changes
      }
    } catch (err) {
      // « Document illisible. » from the module reads « document illisible »
      // after « Export PDF impossible : » (not « PDF… », an acronym).
      const why = ctx.messageOf(err).replace(/\.+$/, "").replace(/^\p{Lu}(?=\p{Ll})/u, (c) => c.toLowerCase());
      const what =
        stage === "worker" && err?.stage === "loading"
          ? " Vérifiez que les fichiers pdf/territoire_pdf.js et pdf/territoire_pdf_bg.wasm sont servis à côté de la page (« make wasm » les construit)."
          : "";
      say("");
      showError(`Export PDF impossible : ${why}.${what} Vos commentaires sont conservés dans ce navigateur.`);
      setState("error");
    } finally {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      // A disabled button loses the focus: give it back to the keyboard.
      if (hadFocus && (document.activeElement === document.body || document.activeElement === null)) button.focus();
    }
  }

  button.addEventListener("click", () => {
    run();
  });

  return { run };
}

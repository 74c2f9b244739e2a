// « Exporter en PDF »: an A4 PDF made entirely in the browser.
//
//   1. main thread: prepare() says what to export (the study territory,
//      the comparisons, the comments, the maps section's requests, the
//      date) and where the data pack is;
//   2. a module worker (pdf-worker.js, started on the first export) loads
//      the separate PDF module (www/pdf/territoire_pdf.js + its wasm) and
//      the data pack the first time, lays the document out and writes the
//      PDF with the page's DejaVu Sans fonts (the viewer's core, loaded
//      with the page, carries no document layout: it stays small);
//   3. the bytes come back (transferred) and download through a Blob URL
//      as instantane-<code>-<YYYY-MM-DD>.pdf.
//
// The page never loads the PDF module before the first export. Comments are
// only read here (saved first), never changed, so a failed export loses
// nothing. The button carries data-pdf-state: idle | busy | done | error
// (used by tests), and each export leaves the performance measure
// "instantane:pdf" (click to download).

// Beside this script, not the page: the widget runs on partners' pages.
const FONTS = {
  regular: new URL("fonts/DejaVuSans.ttf", import.meta.url).href,
  bold: new URL("fonts/DejaVuSans-Bold.ttf", import.meta.url).href,
};
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

/** The data pack beside this script: what the page loads by default. */
const DEFAULT_PACK = new URL("pack.bin", import.meta.url).href;

/**
 * Wires the button. `ctx`: {
 *   button, status (role=status), error (role=alert),
 *   prepare() → {
 *     fileCode: string (the file name's code: instantane-<fileCode>-<date>.pdf),
 *     date: "YYYY-MM-DD" (the day of the export: file name and document),
 *     request: {
 *       code: string (the study territory, a code or key: "epci:244400404"),
 *       compare?: string (comma list of codes or keys; undefined: the
 *                 default comparisons, "": none),
 *       comments?: { general?: string, panels?: { [panelId]: string } },
 *       maps?: Array<map request, as Viewer.map takes> (none or []: the
 *              default maps; the poverty-rate and typology maps are
 *              always added when missing),
 *     },
 *     pack?: string | URL (the data pack, resolved against the page's
 *            base URL; default: pack.bin beside this script),
 *   } or throws (French) — called on click, on the main thread; only plain
 *   data (it is posted to the worker),
 *   messageOf(err) → French text,
 *   onDone?({ ok: true, bytes: Uint8Array, name, pages }) after each export,
 *   onError?(message) after each failed one (the French text shown),
 * }
 * Returns { run({ download = true } = {}) → Promise<{ ok: true, bytes, name,
 * pages } | { ok: false, message }> } (the button calls run() itself;
 * download: false only returns the bytes).
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

  function render(pack, request, font, onProgress) {
    const w = getWorker();
    const id = ++seq;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress });
      const msg = { id, pack, request };
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

  async function run({ download: save = true } = {}) {
    if (button.disabled) return { ok: false, message: "un export PDF est déjà en cours" };
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
      const given = job?.request;
      if (!given || typeof given.code !== "string" || !given.code) {
        throw new Error("la page n'a pas dit quel territoire exporter");
      }
      const request = {
        code: given.code,
        compare: given.compare === undefined || given.compare === null ? undefined : String(given.compare),
        comments: given.comments ?? undefined,
        maps: Array.isArray(given.maps) ? given.maps : undefined,
        date: String(given.date ?? job.date ?? ""),
      };
      const pack = job.pack ? new URL(String(job.pack), document.baseURI).href : DEFAULT_PACK;
      stage = "fonts";
      const font = await fontsReady;
      stage = "worker";
      if (!moduleReady) say("Chargement du module PDF…");
      const result = await render(pack, request, font, (s) => {
        if (s === "loading") say("Chargement du module PDF…");
        else if (s === "rendering") say("Mise en page du PDF…");
      });
      const bytes = new Uint8Array(result.bytes);
      if (bytes.length < 5 || String.fromCharCode(...bytes.subarray(0, 5)) !== "%PDF-") {
        throw new Error("le module PDF a produit un fichier invalide");
      }
      const name = `instantane-${String(job.fileCode).replace(/[^A-Za-z0-9_-]/g, "_")}-${job.date}.pdf`;
      if (save) download(bytes, name);
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
        performance.measure("instantane:pdf", { start: t0, end: t3 });
      } catch {
        // no User Timing level 3: nothing else changes
      }
      const done = { ok: true, bytes, name, pages: pages ?? null };
      try {
        ctx.onDone?.(done);
      } catch {
        // the host's listener failed: the export itself succeeded
      }
      return done;
    } catch (err) {
      // « Document illisible. » from the module reads « document illisible »
      // after « Export PDF impossible : » (not « PDF… », an acronym).
      const why = ctx.messageOf(err).replace(/\.+$/, "").replace(/^\p{Lu}(?=\p{Ll})/u, (c) => c.toLowerCase());
      const what =
        stage === "worker" && err?.stage === "loading"
          ? " Vérifiez que les fichiers pdf/territoire_pdf.js et pdf/territoire_pdf_bg.wasm sont servis à côté de la page (« make wasm » les construit)."
          : "";
      say("");
      const message = `Export PDF impossible : ${why}.${what} Vos commentaires sont conservés dans ce navigateur.`;
      showError(message);
      setState("error");
      try {
        ctx.onError?.(message);
      } catch {
        // the host's listener failed: the error is shown all the same
      }
      return { ok: false, message };
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

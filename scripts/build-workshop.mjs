// The workshop bundle: one folder that runs the viewer from a USB stick or
// file://, with no server and no network (`make atelier`).
//
//   node scripts/build-workshop.mjs [--out dist/atelier]
//
// A page opened from file:// may not load ES modules, fetch files or start
// a worker from a file (Chromium and Firefox refuse all three), so the
// folder holds:
//   index.html   the viewer's page, its module script replaced by three
//                classic scripts;
//   donnees.js   the pack, both wasm modules and the fonts, base64;
//   atelier.js   a small runtime: `fetch` answers those files' URLs from
//                donnees.js, and the PDF worker runs in the page instead
//                of a worker (the export takes the main thread a moment);
//   app.js       the viewer's modules bundled by esbuild into one classic
//                script (its PDF worker bundled in too);
//   style.css    the page's style, the fonts given by atelier.js instead.
// Everything else is the same code as the served viewer.

import { build } from "esbuild";
import { mkdir, readFile, rm, writeFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const WWW = join(ROOT, "www");

const args = process.argv.slice(2);
const outArg = args.indexOf("--out");
const OUT = resolve(outArg >= 0 && args[outArg + 1] ? args[outArg + 1] : join(ROOT, "dist", "atelier"));

// The files the viewer fetches, by the last part of their URL.
const ASSETS = {
  "pack.bin": "pack.bin",
  "territoire_bg.wasm": "pkg/territoire_bg.wasm",
  "territoire_pdf_bg.wasm": "pdf/territoire_pdf_bg.wasm",
  "DejaVuSans.ttf": "fonts/DejaVuSans.ttf",
  "DejaVuSans-Bold.ttf": "fonts/DejaVuSans-Bold.ttf",
};

function fail(message) {
  console.error(`atelier: ${message}`);
  process.exit(1);
}

for (const file of ["index.html", "app.js", "style.css", "pdf-worker.js", ...Object.values(ASSETS)]) {
  const info = await stat(join(WWW, file)).catch(() => null);
  if (!info?.isFile()) fail(`www/${file} is missing: run \`make wasm pack www/pack.bin\` first`);
}

// `import.meta.url` has no meaning in a classic script: the glue code only
// uses it to name its wasm file, which atelier.js serves by name.
const common = {
  bundle: true,
  format: "iife",
  target: "es2022",
  write: false,
  legalComments: "none",
  define: { "import.meta.url": "document.baseURI" },
  logLevel: "warning",
};

const app = await build({ ...common, entryPoints: [join(WWW, "app.js")] });
// The worker's code, as a function of its `self` (atelier.js calls it with
// a stand-in that talks to pdf-export.js).
const worker = await build({
  ...common,
  entryPoints: [join(WWW, "pdf-worker.js")],
  banner: { js: "INSTANTANE_ATELIER.workers[\"pdf-worker.js\"] = function (self) {" },
  footer: { js: "};" },
});

const RUNTIME = String.raw`// Workshop runtime (scripts/build-workshop.mjs): serves the bundled files
// to fetch() and runs the PDF worker in the page, since a page opened from
// file:// can do neither by itself.
"use strict";
(() => {
  const A = INSTANTANE_ATELIER;
  const decoded = new Map();
  function bytesOf(name) {
    let b = decoded.get(name);
    if (!b) {
      const bin = atob(A.files[name]);
      b = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
      decoded.set(name, b);
    }
    return b;
  }
  function nameOf(input) {
    const text = input instanceof Request ? input.url : String(input);
    let url;
    try {
      url = new URL(text, document.baseURI);
    } catch {
      return null;
    }
    const last = url.pathname.split("/").pop();
    return Object.hasOwn(A.files, last) ? last : null;
  }
  const TYPES = { wasm: "application/wasm", bin: "application/octet-stream", ttf: "font/ttf" };
  const networkFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const name = nameOf(input);
    if (!name) return networkFetch(input, init);
    const type = TYPES[name.split(".").pop()] ?? "application/octet-stream";
    return Promise.resolve(new Response(bytesOf(name).slice(), { status: 200, headers: { "Content-Type": type } }));
  };

  // The page's fonts, from the bundle (a file:// page may not load them).
  for (const [name, weight] of [["DejaVuSans.ttf", "400"], ["DejaVuSans-Bold.ttf", "700"]]) {
    const face = new FontFace("DejaVu Sans", bytesOf(name).buffer, { weight, style: "normal", display: "block" });
    document.fonts.add(face);
  }

  // A worker that runs in the page: the same messages, asynchronously.
  class PageWorker extends EventTarget {
    #scope;
    #closed = false;
    constructor(url) {
      super();
      const file = String(url).split("/").pop();
      const start = A.workers[file];
      if (!start) throw new Error("pas de worker « " + file + " » dans le paquet de l'atelier");
      const scope = new EventTarget();
      scope.postMessage = (data) => {
        setTimeout(() => {
          if (!this.#closed) this.dispatchEvent(new MessageEvent("message", { data }));
        }, 0);
      };
      this.#scope = scope;
      start(scope);
    }
    postMessage(data) {
      setTimeout(() => {
        if (!this.#closed) this.#scope.dispatchEvent(new MessageEvent("message", { data }));
      }, 0);
    }
    terminate() {
      this.#closed = true;
    }
  }
  window.Worker = PageWorker;
})();
`;

// The page: classic scripts instead of the module, no font preloads (the
// fonts come from the bundle), no service worker.
let html = await readFile(join(WWW, "index.html"), "utf8");
const moduleTag = '<script type="module" src="app.js"></script>';
if (!html.includes(moduleTag)) fail(`www/index.html no longer loads the page with ${moduleTag}: update this script`);
html = html
  .replace(
    moduleTag,
    '<script defer src="donnees.js"></script>\n  <script defer src="atelier.js"></script>\n  <script defer src="app.js"></script>',
  )
  .replace(/\s*<link rel="preload"[^>]*as="font"[^>]*>/g, "");
let css = await readFile(join(WWW, "style.css"), "utf8");
css = css.replace(/@font-face\s*\{[^}]*\}\s*/g, "");

let files = "";
let total = 0;
for (const [name, path] of Object.entries(ASSETS)) {
  const bytes = await readFile(join(WWW, path));
  total += bytes.length;
  files += `  ${JSON.stringify(name)}: "${bytes.toString("base64")}",\n`;
}
const data =
  "// Generated by scripts/build-workshop.mjs: the pack, the wasm modules and the fonts.\n" +
  `var INSTANTANE_ATELIER = { workers: {}, files: {\n${files}} };\n`;

const README = `Instantané territorial — version atelier
========================================

Ouvrez index.html dans un navigateur récent (Chromium, Chrome, Edge,
Firefox) : double-clic, ou glisser le fichier dans une fenêtre. Aucune
connexion ni serveur n'est nécessaire ; le dossier peut être copié sur une
clé USB.

Les commentaires sont gardés dans ce navigateur, pour ce dossier. L'export
PDF fonctionne hors ligne (il occupe la page quelques instants).

Fichier de données : ${ASSETS["pack.bin"]}, construit par « make atelier ».
`;

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
await writeFile(join(OUT, "index.html"), html);
await writeFile(join(OUT, "style.css"), css);
await writeFile(join(OUT, "donnees.js"), data);
await writeFile(join(OUT, "atelier.js"), RUNTIME + worker.outputFiles[0].text);
await writeFile(join(OUT, "app.js"), app.outputFiles[0].text);
await writeFile(join(OUT, "LISEZMOI.txt"), README);
console.log(`atelier: ${OUT} (${(total / 1048576).toFixed(1)} MiB of data) — open ${join(OUT, "index.html")} in a browser`);

// A small static file server for www/ (no dependency, loopback only).
//
//   node scripts/serve.mjs [--root www] [--port 8000] [--host 127.0.0.1]
//
// PORT and HOST in the environment work too. The browser tests and the
// benchmark import `startServer` to serve the same files on a free port,
// with `overrides` to serve other bytes at some paths (a corrupt pack).

import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".bin": "application/octet-stream",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".ttf": "font/ttf",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/**
 * Serves `root` on `host:port` (port 0: a free one). Resolves to
 * `{ server, url, port, close() }`. `overrides` maps URL paths
 * ("/pack.bin") to a Buffer served instead of the file, or to null for a
 * 404.
 */
export function startServer({ root = "www", port = 8000, host = "127.0.0.1", overrides = {}, log = false } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const send = (code, body, type = "text/plain; charset=utf-8") => {
      res.writeHead(code, { "Content-Type": type, "Cache-Control": "no-store" });
      res.end(body);
    };
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(405, "method not allowed\n");
      let path = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
      if (path.endsWith("/")) path += "index.html";
      if (log) console.log(`${req.method} ${path}`);
      const override = overrides[path];
      let body;
      if (override === null) return send(404, `not found: ${path}\n`);
      if (override !== undefined) {
        body = override;
      } else {
        const file = normalize(join(base, path));
        if (file !== base && !file.startsWith(base + sep)) return send(403, "forbidden\n");
        const info = await stat(file).catch(() => null);
        if (!info || !info.isFile()) return send(404, `not found: ${path}\n`);
        body = await readFile(file);
      }
      res.writeHead(200, {
        "Content-Type": MIME[extname(path).toLowerCase()] ?? "application/octet-stream",
        "Content-Length": body.length,
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      send(500, `server error: ${err.message}\n`);
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const actual = server.address().port;
      ok({
        server,
        port: actual,
        url: `http://${host}:${actual}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

// Run as a program.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
  };
  const root = opt("root", "www");
  const port = Number(opt("port", process.env.PORT || 8000));
  const host = opt("host", process.env.HOST || "127.0.0.1");
  startServer({ root, port, host })
    .then(({ url }) => {
      console.log(`Serving ${root}/ at ${url}  (Ctrl+C stops)`);
    })
    .catch((err) => {
      console.error(`serve: cannot listen on ${host}:${port}: ${err.message}`);
      process.exit(1);
    });
}

/**
 * @module
 * A built portal served on 127.0.0.1 as Workers Static Assets serve it with
 * `html_handling = "auto-trailing-slash"` (wrangler.toml): `/x` answers
 * `x.html`, `/x/` answers `x/index.html`, a `.html` or `index.html` in the URL
 * redirects to the URL without it, the `_headers` file's rules are applied,
 * and text is gzipped for a client that accepts it, as the edge compresses.
 * Node's own server: the bench and the portal's browser tests need nothing of
 * a framework, and the test helpers that serve a site do not apply `_headers`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { extname, join } from "node:path";
import { gzipSync } from "node:zlib";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

interface HeaderRule {
  pattern: RegExp;
  headers: Array<[string, string]>;
}

/** `_headers`: a URL pattern (`*` matching anything) at the start of a line, its headers indented below it. */
export function readHeaderRules(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const source = line
        .trim()
        .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
        .replaceAll("*", ".*");
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
    } else {
      const colon = line.indexOf(":");
      rules.at(-1)?.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
  }
  return rules;
}

export interface StaticSite {
  base: string;
  close: () => Promise<void>;
}

/** Serves `folder` (a dist/portal) on a free port of 127.0.0.1. */
export function serveStatic(folder: string): Promise<StaticSite> {
  const headersFile = join(folder, "_headers");
  const rules = existsSync(headersFile) ? readHeaderRules(readFileSync(headersFile, "utf8")) : [];
  const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
  const gzipped = new Map<string, Buffer>();
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    const file = join(folder, path);
    const redirect = (to: string) => response.writeHead(307, { location: to }).end();
    if (path.includes("..") || path.endsWith("/_headers")) return response.writeHead(404).end();
    if (path.endsWith("/index.html")) return redirect(path.slice(0, -"index.html".length));
    if (path.endsWith(".html")) return redirect(path.slice(0, -".html".length));
    let target: string | undefined;
    if (path.endsWith("/") && isFile(join(file, "index.html"))) target = join(file, "index.html");
    else if (!path.endsWith("/") && isFile(`${file}.html`)) target = `${file}.html`;
    else if (!path.endsWith("/") && isFile(join(file, "index.html"))) return redirect(`${path}/`);
    else if (isFile(file)) target = file;
    if (!target) return response.writeHead(404, { "content-type": "text/plain" }).end("not found");
    const type = TYPES[extname(target)] ?? "application/octet-stream";
    const headers: Record<string, string> = { "content-type": type };
    for (const rule of rules) if (rule.pattern.test(path)) for (const [name, value] of rule.headers) headers[name.toLowerCase()] = value;
    let body: Buffer = readFileSync(target);
    if (/^(text\/|application\/json|image\/svg)/.test(type) && /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""))) {
      if (!gzipped.has(target)) gzipped.set(target, gzipSync(body));
      body = gzipped.get(target)!;
      headers["content-encoding"] = "gzip";
      headers.vary = "accept-encoding";
    }
    response.writeHead(200, headers).end(request.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () =>
      resolve({
        base: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
        close: () => {
          server.closeAllConnections();
          return new Promise((done) => server.close(() => done()));
        },
      }),
    );
  });
}

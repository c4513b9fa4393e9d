/**
 * @module
 * How the portal's sign-in and key pages answer: HTML inside the portal's own
 * page (the shell `portico build` writes among the static assets, read through
 * the ASSETS binding), with headers that keep it out of caches and frames; a
 * refusal is that page for a browser and RFC 9457 problem+json for anything
 * else.
 */
import { problem, type ProblemKind } from "../runtime/errors.ts";
import { SHELL_FILE, SHELL_SLOT, type SelfServeConfig } from "./config.ts";
import { escapeHtml, messageBody } from "./keys-page.ts";

const PAGE_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  // The callback's URL holds the code: no other site hears of it through Referer.
  "referrer-policy": "same-origin",
  "content-security-policy": "default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
};

let shell: string | undefined;

async function shellOf(request: Request, env: Record<string, unknown>, config: SelfServeConfig): Promise<string> {
  if (shell) return shell;
  const assets = env.ASSETS as Fetcher | undefined;
  if (assets && typeof assets.fetch === "function") {
    try {
      const answer = await assets.fetch(new URL(`${config.basePath}/${SHELL_FILE}`, request.url));
      const text = answer.ok ? await answer.text() : "";
      if (text.includes(SHELL_SLOT)) return (shell = text);
    } catch {
      // the plain page below
    }
  }
  // Without the portal's shell (no ASSETS binding, or a portal built before sign-in was set up): its styles at least.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(config.title)}</title>
<link rel="stylesheet" href="${escapeHtml(config.basePath)}/assets/portal.css"></head>
<body><header class="site-header"><a class="brand" href="${escapeHtml(config.basePath)}/"><span>${escapeHtml(config.title)}</span></a></header>
<main id="main">${SHELL_SLOT}</main></body></html>`;
}

/** An HTML page of the portal with `body` as its content. */
export async function page(
  request: Request,
  env: Record<string, unknown>,
  config: SelfServeConfig,
  input: { title: string; body: string; status?: number; headers?: Headers },
): Promise<Response> {
  const html = (await shellOf(request, env, config))
    .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(input.title)} · ${escapeHtml(config.title)}</title>`)
    .replace(SHELL_SLOT, () => input.body);
  const headers = new Headers(PAGE_HEADERS);
  input.headers?.forEach((value, name) => headers.append(name, value));
  return new Response(html, { status: input.status ?? 200, headers });
}

/** A redirect that changes nothing in the browser's history of forms (303), with any cookies to set. */
export function redirect(to: string, cookies: string[] = []): Response {
  const headers = new Headers({ location: to, "cache-control": "no-store" });
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(null, { status: 303, headers });
}

/** A refusal: the portal's page saying why to a browser, problem+json to anything else. */
export async function refusal(
  request: Request,
  env: Record<string, unknown>,
  config: SelfServeConfig,
  kind: ProblemKind,
  detail: string,
  link?: { href: string; text: string },
): Promise<Response> {
  if (!(request.headers.get("accept") ?? "").includes("text/html")) {
    return problem(kind, { detail, requestId: crypto.randomUUID(), instance: new URL(request.url).pathname });
  }
  return page(request, env, config, { title: kind.title, body: messageBody(kind.title, detail, link), status: kind.status });
}

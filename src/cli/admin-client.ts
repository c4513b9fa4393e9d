/**
 * @module
 * Asking the running gateway's admin routes (/_portico/<built-in>/…), which
 * answer only to a bearer of its PORTICO_ADMIN_TOKEN: the token never goes in
 * clear text to another machine nor to a redirect's target, and a gateway
 * that cannot be reached is said to be so, with its address.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import type { Problem } from "./style.ts";

/** Where `npm run dev` serves the gateway (wrangler.toml's [dev]). */
export const DEFAULT_GATEWAY = "http://127.0.0.1:8787";

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/** The admin token: $PORTICO_ADMIN_TOKEN, else the line `npm run dev` reads from .dev.vars in the project folder. */
export function adminToken(root: string): string | undefined {
  if (process.env.PORTICO_ADMIN_TOKEN) return process.env.PORTICO_ADMIN_TOKEN;
  try {
    return parseEnv(readFileSync(join(root, ".dev.vars"), "utf8")).PORTICO_ADMIN_TOKEN || undefined;
  } catch {
    return undefined;
  }
}

/** What a command that asks the admin routes says when it has no token to bear. */
export const NO_ADMIN_TOKEN: Problem = {
  message: "No admin token.",
  where: "$PORTICO_ADMIN_TOKEN, .dev.vars",
  hint: "set PORTICO_ADMIN_TOKEN (at least 32 characters) in .dev.vars for `npm run dev`, or in the environment for a deployed gateway.",
};

/**
 * GET `path` (with its query) of the gateway at `base`, bearing the token; any
 * answer is the caller's to read. `option` names where the address was given.
 */
export function adminGet(base: string, path: string, token: string, option: string): Promise<{ url: URL; response: Response } | { problem: Problem }> {
  return adminRequest(base, path, token, option);
}

/** As adminGet, with a JSON body: POST, to act (a cache purge). */
export function adminPost(
  base: string,
  path: string,
  token: string,
  option: string,
  body: unknown,
): Promise<{ url: URL; response: Response } | { problem: Problem }> {
  return adminRequest(base, path, token, option, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function adminRequest(
  base: string,
  path: string,
  token: string,
  option: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ url: URL; response: Response } | { problem: Problem }> {
  let url: URL;
  try {
    url = new URL(path, base);
  } catch {
    return { problem: { message: `"${base}" is not a URL.`, where: option, hint: `give the gateway's base URL, such as ${DEFAULT_GATEWAY}.` } };
  }
  if (url.protocol !== "https:" && !LOOPBACK.includes(url.hostname)) {
    return {
      problem: {
        message: `${url.origin} is not HTTPS: the admin token would travel in clear text.`,
        where: option,
        hint: "use the gateway's https:// address (http is only for a gateway on this machine).",
      },
    };
  }
  try {
    const headers = { ...init.headers, authorization: `Bearer ${token}` };
    const response = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
    return { url, response };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return {
      problem: {
        message: `The gateway at ${url.origin} cannot be reached (${reason}).`,
        where: url.origin,
        hint: `start it with \`npm run dev\`, or give its address with ${option}.`,
      },
    };
  }
}

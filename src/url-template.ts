/**
 * @module
 * Whether a URL written in x-portico (a forward url, a JWKS) can be one the
 * gateway sends requests to: absolute, http or https, with a host. Read at
 * build time by the compiler and by built-ins' build steps. What `${env.X}`
 * brings is known at run time only, so a URL that begins with one is left to
 * run time, where a bad value fails that request closed.
 */
import { didYouMean } from "./did-you-mean.ts";

/** What is wrong with a URL, said after its value, and how to fix it. */
export interface UrlProblem {
  /** Completes `The url "…" ` (e.g. "is relative"). */
  reason: string;
  hint: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const TEMPLATE = /\$\{[^}]*\}/;
/** `host`, `host:port` or `host/…`: what a URL without its scheme looks like. */
const BARE_HOST = /^[A-Za-z0-9.-]+(:\d+)?([/?#]|$)/;
const LOCAL = /^(localhost|127\.0\.0\.1|\[::1\])([:/?#]|$)/i;

const withScheme = (text: string) => `Did you mean "${LOCAL.test(text) ? "http" : "https"}://${text}"? `;

/** Why this URL template can never be fetched, or undefined when it can be (or only run time can tell). */
export function urlTemplateProblem(template: string): UrlProblem | undefined {
  // An unclosed `${` is the template check's to report; what follows it means nothing yet.
  if (/\$\{(?![^}]*\})/.test(template)) return undefined;
  if (/^\$\{env\./.test(template)) return undefined;
  if (/^\$\{params\./.test(template)) {
    return {
      reason: "begins with a path parameter, which arrives percent-encoded: it can never be the scheme and host",
      hint: 'Begin the URL with its scheme and host ("https://api.example.com/${params.id}"), or with ${env.NAME} holding them.',
    };
  }
  const scheme = SCHEME.exec(template)?.[1];
  const rest = scheme === undefined ? template : template.slice(scheme.length + 1);
  if (scheme === undefined || (/^\d/.test(rest) && BARE_HOST.test(template))) {
    const guess = BARE_HOST.test(template) ? withScheme(template) : "";
    return {
      reason: template.startsWith("/") ? "is relative: the gateway needs an absolute URL" : "has no scheme: the gateway needs an absolute URL",
      hint: `${guess}Write the whole URL, such as "https://api.example.com/v1", or \${env.NAME} to take it from a Worker var.`,
    };
  }
  if (!/^https?$/i.test(scheme)) {
    return {
      reason: `uses the scheme "${scheme}:": the gateway sends requests over http and https only`,
      hint: `${didYouMean(scheme, ["http", "https"])}Use an https:// URL (http:// for a local service).`,
    };
  }
  const authority = /^\/\/([^/?#]*)/.exec(rest)?.[1];
  if (!authority) {
    return { reason: `has no host after "${scheme}:"`, hint: `Write it as ${scheme}://host/path, such as "https://api.example.com/v1".` };
  }
  // A caller's value in the host would choose where the gateway sends requests
  // (`.evil.example`, `169.254.169.254`): a path parameter belongs after the first `/`.
  if (/\$\{params\./.test(authority)) {
    return {
      reason: "takes its host from a path parameter: any caller could choose where the gateway sends requests",
      hint: 'Keep path parameters after the host\'s "/" ("https://api.example.com/${params.id}"); a host that varies comes from ${env.NAME}.',
    };
  }
  // A var in the host or port is filled at run time; elsewhere a stand-in lets the rest be parsed.
  if (TEMPLATE.test(authority) || URL.canParse(template.replaceAll(new RegExp(TEMPLATE, "g"), "x"))) return undefined;
  return { reason: "is not a valid URL", hint: 'Check the host and port, such as "https://api.example.com:8443/v1".' };
}

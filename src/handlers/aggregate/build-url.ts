/**
 * @module
 * A part's url, parsed once at build into text and the values filled in per
 * request, with the guarantee forward's urls have: no value of the request
 * (a path or query parameter, the consumer) can stand where it would choose
 * the host the gateway sends requests to.
 */
import { urlTemplateProblem } from "../../url-template.ts";
import { REQUEST_SOURCES, type Segment } from "./options.ts";

/** What is wrong with a url: completes `The url "…" of part "x" of "aggregate" `, and how to fix it. */
export interface UrlFault {
  reason: string;
  hint: string;
}

const TEMPLATE = /\$\{([^}]*)\}/g;
const SCHEME_AND_SLASHES = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** Stands for a `${env.X}` while the text before the first request value is read. */
const ENV_MARK = "\u0000";

const isRequestSource = (source: string): source is (typeof REQUEST_SOURCES)[number] => (REQUEST_SOURCES as readonly string[]).includes(source);

/**
 * Whether a request value that follows this text lands in the host. After a
 * literal `scheme://` the host ends at the first `/`, `?` or `#`; after a
 * leading `${env.X}` (which holds the scheme and host) one of them must be
 * written before the value, as the var's own text is known at run time only.
 */
function landsInHost(before: string): boolean {
  const text = before.replace(/\$\{env\.[^}]*\}/g, ENV_MARK);
  let rest: string;
  if (SCHEME_AND_SLASHES.test(text)) rest = text.replace(SCHEME_AND_SLASHES, "");
  else if (text.startsWith(ENV_MARK)) rest = text.replace(/^\u0000+/, "").replace(/^:?\/\//, "");
  else return false; // no host at all: relative, or no scheme, which urlTemplateProblem says
  return !/[/?#]/.test(rest);
}

/** The url as segments, or what is wrong with it. */
export function parsePartUrl(url: string): { segments: Segment[] } | { fault: UrlFault } {
  const unclosed = /\$\{[^}]*$/.exec(url)?.[0];
  if (unclosed !== undefined) return { fault: { reason: `has "${unclosed}", never closed`, hint: `Close it with "}".` } };
  const segments: Segment[] = [];
  let at = 0;
  let inQuery = false;
  const text = (piece: string) => {
    if (!piece) return;
    if (/[?#]/.test(piece)) inQuery = true;
    const last = segments.at(-1);
    if (typeof last === "string") segments[segments.length - 1] = last + piece;
    else segments.push(piece);
  };
  for (const match of url.matchAll(TEMPLATE)) {
    text(url.slice(at, match.index));
    at = match.index + match[0].length;
    const [source, ...rest] = match[1].split(".");
    const name = rest.join(".");
    if (source === "env") {
      segments.push({ from: "env", name });
      continue;
    }
    // Anything else is the compiler's template check's to report.
    if (!isRequestSource(source)) continue;
    if (match.index === 0) {
      return {
        fault: {
          reason: `begins with ${match[0]}, which arrives percent-encoded: it can never be the scheme and host`,
          hint: 'Begin the url with its scheme and host ("https://users.example.com/users/${consumer.id}"), or with ${env.NAME} holding them.',
        },
      };
    }
    if (landsInHost(url.slice(0, match.index))) {
      return {
        fault: {
          reason: `puts ${match[0]} where the host is: a caller's value would choose where the gateway sends requests`,
          hint: 'Begin the url with its scheme and host, and keep request values after the "/" that ends it: "https://users.example.com/users/${consumer.id}", or "${env.USERS}/users/${consumer.id}" (the "/" written after the var).',
        },
      };
    }
    segments.push({ from: source, name, inPath: !inQuery });
  }
  text(url.slice(at));
  // Scheme, host and the like, as forward checks its url (a request value reads as an env var's stand-in there).
  const problem = urlTemplateProblem(url.replace(TEMPLATE, (whole, inner: string) => (isRequestSource(inner.split(".")[0]) ? "x" : whole)));
  if (problem) return { fault: { reason: problem.reason, hint: problem.hint } };
  return { segments };
}

/**
 * @module
 * Ready-to-run requests: the document's own samples (`x-codeSamples`) first,
 * then curl, JavaScript, Python, Go, Java, C#, PHP and Ruby from the snippet
 * library, in the languages the document has no sample of, with the required
 * parameters, the credential and a body in the operation's first media type;
 * each other media type gets a curl sample of its own. Every sample is
 * server-rendered text with a copy button, so the code reads without
 * JavaScript; the first three are highlighted (the grammars the portal
 * loads), the others kept plain to keep pages light. A large API's pages
 * keep the first three and link the others on the tag's samples page.
 */
import { csharpHttpclient } from "@scalar/snippetz/plugins/csharp/httpclient";
import { goNative } from "@scalar/snippetz/plugins/go/native";
import { javaOkhttp } from "@scalar/snippetz/plugins/java/okhttp";
import { jsFetch } from "@scalar/snippetz/plugins/js/fetch";
import { phpGuzzle } from "@scalar/snippetz/plugins/php/guzzle";
import { pythonRequests } from "@scalar/snippetz/plugins/python/requests";
import { rubyNative } from "@scalar/snippetz/plugins/ruby/native";
import { shellCurl } from "@scalar/snippetz/plugins/shell/curl";
import { escapeHtml } from "./html.ts";
import { codeBlock, type CodeLanguage } from "./highlight.ts";
import type { OperationModel } from "./operation-model.ts";
import { ownSamples } from "./own-samples.ts";
import { requestBodies } from "./sample-body.ts";
import { sampleRequest } from "./sample-request.ts";

interface Printer {
  generate(request?: Record<string, unknown>): string;
}

const LANGUAGES: Array<{ label: string; printer: Printer; highlight?: CodeLanguage }> = [
  { label: "curl", printer: shellCurl as Printer, highlight: "bash" },
  { label: "JavaScript", printer: jsFetch as Printer, highlight: "javascript" },
  { label: "Python", printer: pythonRequests as Printer, highlight: "python" },
  { label: "Go", printer: goNative as Printer },
  { label: "Java", printer: javaOkhttp as Printer },
  { label: "C#", printer: csharpHttpclient as Printer },
  { label: "PHP", printer: phpGuzzle as Printer },
  { label: "Ruby", printer: rubyNative as Printer },
];

/** One sample: its tab's label, its code, and the grammar it is highlighted with, if any. */
export interface Sample {
  label: string;
  code: string;
  highlight?: CodeLanguage;
  /** Printed in a language past the first three: on a large API's pages, shown from the tag's samples page. */
  later?: boolean;
}

/** The languages each printed sample is in, by the names `x-codeSamples` give them: theirs replaces ours. */
const SAME_LANGUAGE: Record<string, string[]> = {
  curl: ["curl", "shell", "bash", "sh"],
  JavaScript: ["javascript", "js", "node", "node.js"],
  Python: ["python", "py", "python3"],
  Go: ["go", "golang"],
  Java: ["java"],
  "C#": ["c#", "csharp", "cs", ".net"],
  PHP: ["php"],
  Ruby: ["ruby", "rb"],
};

/** Languages kept on every page, highlighted; the others may move to the tag's samples page. */
const INLINE = new Set(["curl", "JavaScript", "Python"]);

const printedSamples = new WeakMap<object, Sample[]>();

/** Every sample of the operation, in the order shown: the document's own, ours in the languages it has none for, then other media types' curl. */
export function samplesOf(document: Record<string, any>, model: OperationModel): Sample[] {
  const known = printedSamples.get(model.operation);
  if (known) return known;
  const bodies = requestBodies(document, model.operation);
  const own = ownSamples(document, model.operation);
  const ownLanguages = new Set(own.map((sample) => sample.lang.toLowerCase()));
  const request = sampleRequest(document, model, bodies[0]);
  const printed = LANGUAGES.filter(({ label }) => !SAME_LANGUAGE[label].some((name) => ownLanguages.has(name))).map(({ label, printer, highlight }) => ({
    label,
    code: print(printer, request),
    highlight,
    later: !INLINE.has(label),
  }));
  // Each other media type the operation takes, as a curl command.
  const others = bodies.slice(1).map((body) => ({
    label: `curl, ${body.mediaType}`,
    code: print(shellCurl as Printer, sampleRequest(document, model, body)),
    highlight: "bash" as CodeLanguage,
  }));
  const samples = [...own.map(({ label, source, highlight }) => ({ label, code: source, highlight })), ...printed, ...others].filter(({ code }) => code !== "");
  printedSamples.set(model.operation, samples);
  return samples;
}

/**
 * The "Code samples" section. With `laterAt` (a large API's page), the languages past the first
 * three are one link to that place on the tag's samples page (samples-page.ts), which the
 * section's script fetches them from when the reader opens it.
 */
export function codeSamples(document: Record<string, any>, model: OperationModel, laterAt?: string): string {
  const samples = samplesOf(document, model);
  const shown = laterAt === undefined ? samples : samples.filter((sample) => !sample.later);
  const later = laterAt === undefined ? [] : samples.filter((sample) => sample.later);
  const blocks = shown.map(({ label, code, highlight }, index) => sampleBlock(label, code, highlight, index === 0));
  if (later.length) {
    const names = later.map((sample) => escapeHtml(sample.label)).join(", ");
    blocks.push(
      `<details class="sample" data-later-samples><summary>${names}</summary><p><a href="${escapeHtml(laterAt)}">The ${names} samples</a>, on this tag's samples page.</p></details>`,
    );
  }
  return `<section aria-labelledby="samples"><h2 id="samples">Code samples</h2>${blocks.join("")}</section>`;
}

function print(printer: Printer, request: Record<string, unknown>): string {
  try {
    return printer.generate(request) ?? "";
  } catch {
    return "";
  }
}

/** The copy button shows only once the script can work it; without JavaScript the code is there to select. */
export function sampleBlock(label: string, code: string, highlight: CodeLanguage | undefined, open: boolean): string {
  const pre = highlight
    ? codeBlock(code, highlight)
    : `<pre><code>${code.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")}</code></pre>`;
  return `<details class="sample"${open ? " open" : ""}><summary>${escapeHtml(label)}</summary><div class="sample-code"><button type="button" class="copy" data-copy hidden aria-label="Copy the ${escapeHtml(label)} sample">Copy</button>${pre}</div></details>`;
}

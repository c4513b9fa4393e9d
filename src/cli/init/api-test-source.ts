/**
 * @module
 * The text of test/api/api.test.ts: a header saying what it tests and how to
 * keep it, the cases as one table of data (a document of hundreds of
 * operations stays one table), and one `it()` per case, run in workerd
 * against the Worker's own default export, as test/workers does.
 */
import type { ApiCase, ApiCases } from "./api-cases.ts";

export interface ApiTestInput extends ApiCases {
  /** The API's title (info.title). */
  title: string;
  /** The document, relative to the project root: openapi/openapi.yaml. */
  spec: string;
  /** Whether the project has test/support/consumers.ts, which stores a consumer and returns its key. */
  storesConsumers: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A value as TypeScript source: JSON, without quotes on keys that need none. */
function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).map(([key, item]) => `${IDENTIFIER.test(key) ? key : JSON.stringify(key)}: ${literal(item)}`);
    return members.length === 0 ? "{}" : `{ ${members.join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** Text that goes inside a block comment, which must not be closed by it. */
const commentSafe = (text: string) => text.replaceAll("*/", "*\\/");

/** A paragraph broken into lines of at most `width` characters; a code span is never broken, a longer word stands alone. */
function wrap(paragraph: string, width = 88): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of paragraph.match(/[^\s`]*`[^`]*`[^\s`]*|\S+/g) ?? []) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function header(input: ApiTestInput): string[] {
  const paragraphs = [
    `${input.title}, through the gateway. Each operation that the mock answers gets one valid request (its required parameters and body, from the document's examples and schemas) and must answer with the status the document gives it: its lowest 2xx, or 401 with WWW-Authenticate where it takes credentials, as none are sent. It runs in workerd against the gateway built from ${input.spec}, as \`npm run dev\` serves it, so it fails when the gateway or the document breaks.`,
    '`npx portico init` wrote this file from the document. After changing the document, `npx portico init --tests` writes it again, replacing it: add rows to `cases` freely, but keep tests of your own in other files of test/api/. A case\'s headers may ask the mock for another documented answer: `prefer: "code=404"` or `prefer: "example=<name>"`.',
  ];
  if (input.cases.some((item) => item.needsCredentials)) {
    const store = input.storesConsumers
      ? 'store a consumer with `storeConsumer({ id: "me" })` from test/support/consumers.ts, which returns its key'
      : "store a consumer in the CONSUMERS namespace (env.CONSUMERS)";
    paragraphs.push(
      `Operations marked needsCredentials are sent none. To call one with a key, ${store} (as \`npx portico keys create\` does for \`npm run dev\`), and send the key as the operation's security scheme says; docs/authentication.md describes consumers and keys.`,
    );
  }
  const lines = paragraphs.flatMap((paragraph, i) => [...(i > 0 ? [""] : []), ...wrap(paragraph)]);
  if (input.uncovered.length > 0) {
    lines.push("", "Not covered (not answered by the mock, or no request to make):");
    for (const item of input.uncovered)
      lines.push(...wrap(`- ${item.operationId}: ${item.method} ${item.path} (${item.why})`).map((line, i) => (i > 0 ? `  ${line}` : line)));
  }
  return ["/**", ...lines.map((line) => commentSafe(line ? ` * ${line}` : " *")), " */"];
}

function row(item: ApiCase): string {
  const { operationId, method, url, status, headers, body, needsCredentials } = item;
  const given = Object.entries({ operationId, method, url, status, headers, body, needsCredentials }).filter(([, value]) => value !== undefined);
  return `  ${literal(Object.fromEntries(given))},`;
}

export function apiTestSource(input: ApiTestInput): string {
  const body = `import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

interface Case {
  operationId: string;
  method: string;
  url: string;
  status: number;
  headers?: Record<string, string>;
  /** A JSON body as its value, any other as its text. */
  body?: unknown;
  needsCredentials?: boolean;
}

const cases: Case[] = [
${input.cases.map(row).join("\n")}
];

/** As the edge sends it: each case from an address of its own, so no two share a rate-limit bucket. */
function send({ method, url, headers, body }: Case, index: number): Promise<Response> {
  const request = new Request(new URL(url, "http://localhost:8787"), {
    method,
    headers: { "cf-connecting-ip": \`2001:db8:a11::\${(index + 1).toString(16)}\`, ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return exports.default.fetch(request);
}

describe(${JSON.stringify(input.title)}, () => {
  ${input.cases.length === 0 ? 'it.todo("has no operation the mock answers");\n  ' : ""}for (const [index, item] of cases.entries()) {
    it(\`\${item.operationId}: \${item.method} \${item.url} answers \${item.status}\`, async () => {
      const response = await send(item, index);
      expect(response.status, await response.clone().text()).toBe(item.status);
      if (item.needsCredentials) expect(response.headers.get("www-authenticate")).toBeTruthy();
    });
  }
});
`;
  return `${header(input).join("\n")}\n${body}`;
}

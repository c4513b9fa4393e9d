import { BuildStepError, describeBuiltin, type BuildOperation, type Prepared, type Use } from "../../builtin-descriptor.ts";
import type { AtBuild } from "../../builtin-descriptor.ts";
import { didYouMean } from "../../did-you-mean.ts";
import { HOP_BY_HOP } from "../../runtime/headers.ts";
import { parsePartUrl } from "./build-url.ts";
import { CONSUMER_FIELDS, options, REQUEST_SOURCES, type AggregateOptions, type AggregatePrepared, type PreparedPart } from "./options.ts";

const DOCS = "See docs/policies.md#aggregate.";

/** Headers that describe one connection or one body: the gateway's to set, never a caller's to pass on. */
const NOT_PASSED = new Set([...HOP_BY_HOP, "host", "content-length"]);

type Part = NonNullable<AggregateOptions["requests"]>[string];
type Note = NonNullable<Prepared<AggregateOptions, unknown>["notes"]>[number];

/** The query parameters the operation (or its path item) declares. */
function declaredQuery(operation: BuildOperation): string[] {
  const pathItem = operation.document.paths?.[operation.path] ?? {};
  const lists: Array<[unknown, string]> = [
    [pathItem.parameters, `/paths/${operation.path.replaceAll("~", "~0").replaceAll("/", "~1")}/parameters`],
    [operation.operation.parameters, `${operation.pointer}/parameters`],
  ];
  return lists.flatMap(([list, pointer]) =>
    (Array.isArray(list) ? list : []).flatMap((raw, i) => {
      const { node } = operation.follow(raw, `${pointer}/${i}`);
      return node?.in === "query" && typeof node.name === "string" ? [node.name] : [];
    }),
  );
}

/** Whether a caller may reach the operation with no consumer: no security, or an alternative that asks for none. */
function allowsAnonymous(operation: BuildOperation): boolean {
  const security = operation.operation.security ?? operation.document.security;
  return !Array.isArray(security) || security.length === 0 || security.some((requirement) => Object.keys(requirement ?? {}).length === 0);
}

function preparePart(name: string, part: Part, pointer: string, operation: BuildOperation, notes: Note[]): PreparedPart {
  const subject = `The url "${part.url}" of part "${name}" of "aggregate"`;
  const parsed = parsePartUrl(part.url);
  if ("fault" in parsed) throw new BuildStepError(`${subject} ${parsed.fault.reason}.`, `${pointer}/url`, `${parsed.fault.hint} ${DOCS}`);
  const query = declaredQuery(operation);
  const where = `${operation.method.toUpperCase()} ${operation.path}`;
  for (const segment of parsed.segments) {
    if (typeof segment === "string") continue;
    if (segment.from === "query" && !query.includes(segment.name)) {
      throw new BuildStepError(
        `${subject} names \${query.${segment.name}}, but ${where} declares no query parameter "${segment.name}".`,
        `${pointer}/url`,
        `${didYouMean(segment.name, query)}Declare it in the operation's parameters ({ name: ${segment.name}, in: query, schema: { type: string } }), so that its documentation tells callers of it and validation checks it. ${DOCS}`,
      );
    }
    if (segment.from === "consumer" && !(CONSUMER_FIELDS as readonly string[]).includes(segment.name)) {
      throw new BuildStepError(
        `${subject} names \${consumer.${segment.name}}, which is no field of the consumer a url may hold.`,
        `${pointer}/url`,
        `${didYouMean(segment.name, [...CONSUMER_FIELDS])}Use ${CONSUMER_FIELDS.map((field) => `\${consumer.${field}}`).join(", ")}. ${DOCS}`,
      );
    }
    if (segment.from === "consumer" && !part.optional && allowsAnonymous(operation) && !notes.some((note) => note.pointer === `${pointer}/url`)) {
      notes.push({
        pointer: `${pointer}/url`,
        message: `${subject} names \${consumer.${segment.name}}, but ${where} may be called without credentials: such a call fails with 502, as the required part cannot be sent.`,
        hint: `Give the operation a security requirement without an anonymous alternative ({}), or mark the part optional. ${DOCS}`,
      });
    }
  }
  const headers = (part.headers ?? []).map((header) => header.toLowerCase());
  const refused = headers.find((header) => NOT_PASSED.has(header) || header.startsWith("proxy-"));
  if (refused) {
    throw new BuildStepError(
      `Part "${name}" of "aggregate" passes on "${refused}", which belongs to one connection or body, not to a request the gateway makes.`,
      `${pointer}/headers`,
      `Remove it from headers; the gateway sets what its own request needs. ${DOCS}`,
    );
  }
  return {
    name,
    url: parsed.segments,
    method: part.method ?? "GET",
    timeout: part.timeout ?? 10000,
    optional: part.optional ?? false,
    headers: [...new Set(headers)],
  };
}

function prepare(use: Use<AggregateOptions>, operation: BuildOperation, projectModule: (path: string) => AtBuild<AggregatePrepared>["merge"]) {
  const notes: Note[] = [];
  const parts = Object.entries(use.options.requests).map(([name, part]) => preparePart(name, part, `${use.where}/options/requests/${name}`, operation, notes));
  const prepared: AtBuild<AggregatePrepared> = {
    parts,
    readsQuery: parts.some((part) => part.url.some((segment) => typeof segment !== "string" && segment.from === "query")),
  };
  if (use.options.merge !== undefined) {
    const merge = projectModule(use.options.merge);
    if (!merge) {
      throw new BuildStepError(
        `The merge module "${use.options.merge}" of "aggregate" does not exist.`,
        `${use.where}/options/merge`,
        `Write the path from the project root, such as policies/merge-dashboard.ts, of a module whose default export merges the parts. ${DOCS}`,
      );
    }
    prepared.merge = merge;
  }
  return { prepared, notes };
}

export default describeBuiltin<AggregateOptions, AggregatePrepared>({
  name: "aggregate",
  kind: "handler",
  summary: "Sends several upstream requests at once and answers with their JSON merged into one object.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  perOperation: true,
  templates: REQUEST_SOURCES.filter((source) => source !== "params"),
  prepare: (use, { operation, projectModule }) => prepare(use, operation!, projectModule),
});

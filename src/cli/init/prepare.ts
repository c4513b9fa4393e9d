/**
 * @module
 * Everything `portico init` will write and remove, worked out from the
 * checked document before the project is touched: the document with its
 * handler, the test of the API, the portal's page and title, and the
 * example's leftovers.
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { CompileResult } from "../../compiler/compile.ts";
import { API_TEST, apiTest } from "./api-test.ts";
import type { Staged } from "./apply.ts";
import { type DefaultHandler, withDefaultHandler } from "./document.ts";
import { exampleLeftovers } from "./example.ts";
import { GUIDE, gettingStarted, PORTAL_CONFIG, portalConfig } from "./portal.ts";
import type { Source } from "./source.ts";

type Plan = NonNullable<CompileResult["plan"]>;

export interface Prepared {
  /** The files to write, relative to the root, with their text. */
  files: Staged;
  /** What to say after a written file's name. */
  notes: Map<string, string>;
  /** The files to remove, relative to the root. */
  removed: string[];
  /** The files policies/ keeps. */
  policiesKept: string[];
  /** Whether the document got the mock handler from init. */
  mockAdded: boolean;
  /**
   * Whether the test of the API waits for the document to be in place: with a forward as the root
   * handler, it covers the operations that still answer without the upstream, which only the built
   * project knows.
   */
  testAfterApply: boolean;
}

const POLICIES_README = `# Policies

Your own policies and handlers, one TypeScript module each, listed by path in the
x-portico of openapi/ (\`use: ./policies/my-policy.ts\`). docs/policies.md shows how to
write one.
`;

/** Every module the planned gateway runs, by absolute path. */
function usedModules(plan: Plan): Set<string> {
  const uses = plan.paths.flatMap((path) => path.operations.flatMap((operation) => [...operation.inbound, operation.handler, ...operation.outbound]));
  return new Set(uses.map((use) => resolve(use.module)));
}

/** servers[0].url when it is a whole URL, variables filled with their defaults. */
function serverUrl(document: Record<string, any>): string | undefined {
  const first = Array.isArray(document.servers) ? document.servers[0] : undefined;
  if (typeof first?.url !== "string") return undefined;
  const url = first.url.replace(/\{([^}]+)\}/g, (_: string, name: string) => String(first.variables?.[name]?.default ?? ""));
  return /^https?:\/\//i.test(url) ? url.replace(/\/+$/, "") : undefined;
}

export async function prepare(root: string, source: Source, plan: Plan, handler: DefaultHandler = { handler: "mock" }): Promise<Prepared> {
  const entry = `openapi.${source.format}`;
  const files: Staged = new Map([...source.files].map(([file, text]) => [`openapi/${file}`, text]));
  const notes = new Map<string, string>();
  // The build stood the default handler in for the root's: operations that took it name none of their own.
  const unhandled = plan.paths.some((path) => path.operations.some((operation) => operation.handler.pointer === "/x-portico/handler"));
  const { text, change } = withDefaultHandler(source.files.get(entry)!, source.format, unhandled, handler);
  files.set(`openapi/${entry}`, text);
  if (change !== "none")
    notes.set(
      `openapi/${entry}`,
      handler.handler === "mock" ? "with x-portico: { handler: mock }" : `with x-portico: { handler: forward, upstream: ${handler.upstream} }`,
    );

  const testAfterApply = handler.handler === "forward" && change !== "none";
  if (!testAfterApply) {
    const test = await apiTest(root, plan, `openapi/${entry}`);
    files.set(API_TEST, test.source);
    notes.set(API_TEST, `${test.cases.length} case(s)${test.uncovered.length > 0 ? `, ${test.uncovered.length} operation(s) not covered` : ""}`);
  }

  const title = String(plan.document.info?.title ?? "API");
  if (existsSync(join(root, "portal"))) {
    files.set(GUIDE, gettingStarted(plan.document.info ?? {}, serverUrl(plan.document)));
    const config = portalConfig(root, title);
    if (config !== undefined) {
      files.set(PORTAL_CONFIG, config);
      notes.set(PORTAL_CONFIG, `title: ${title}`);
    }
  }

  const removed = exampleLeftovers(root, new Set(files.keys()), usedModules(plan));
  const policiesKept = existsSync(join(root, "policies")) ? readdirSync(join(root, "policies")).filter((file) => !removed.includes(`policies/${file}`)) : [];
  // Git keeps no empty folder, and wrangler watches this one.
  if (policiesKept.length === 0) files.set("policies/README.md", POLICIES_README);
  return { files, notes, removed, policiesKept, mockAdded: change !== "none" && handler.handler === "mock", testAfterApply };
}

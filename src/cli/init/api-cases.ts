/**
 * @module
 * The cases of a project's test of its API (test/api/api.test.ts), read from
 * what the build planned: for each operation the mock answers, one valid
 * request (its required parameters and body, src/synthesize) and the status
 * the gateway answers it with. That is the mock's own choice without a
 * `Prefer` header (src/handlers/mock/choose.ts), or 401 where the operation
 * takes credentials and offers no anonymous alternative, since none are sent.
 */
import type { PlannedPath } from "../../compiler/emit/emit.ts";
import type { PlannedOperation } from "../../compiler/plan/operations.ts";
import type { ResolvedUse } from "../../compiler/plan/policies.ts";
import { chooseResponse } from "../../handlers/mock/choose.ts";
import type { MockPrepared } from "../../handlers/mock/options.ts";
import type { AuthenticateOptions } from "../../policies/authenticate/options.ts";
import { operationsOf } from "../../synthesize/document.ts";
import { Synthesizer } from "../../synthesize/synthesizer.ts";

export interface ApiCase {
  operationId: string;
  method: string;
  /** Path and query, with the base path of servers[0]. */
  url: string;
  status: number;
  headers?: Record<string, string>;
  /** A JSON body as its value; any other as its text. */
  body?: unknown;
  /** The operation takes credentials and none are sent: the 401 must say which in WWW-Authenticate. */
  needsCredentials?: true;
}

/** An operation the test does not send, and why. */
export interface Uncovered {
  operationId: string;
  method: string;
  path: string;
  why: string;
}

export interface ApiCases {
  cases: ApiCase[];
  uncovered: Uncovered[];
}

/** Whether anonymous callers get through: no requirement, or an empty one (`{}`) among the alternatives. */
function isPublic(inbound: ResolvedUse[]): boolean {
  const authenticate = inbound.find((use) => use.builtin?.name === "authenticate");
  const requirements = (authenticate?.options as AuthenticateOptions | undefined)?.requirements ?? [];
  return requirements.length === 0 || requirements.some((requirement) => requirement.length === 0);
}

/** The status the mock answers with when no Prefer header asks for another; 501 when it has none to give. */
function mockStatus(handler: ResolvedUse): number {
  const { responses } = (handler.prepared ?? { responses: [] }) as MockPrepared;
  const status = typeof handler.options.status === "number" ? handler.options.status : undefined;
  return chooseResponse(responses, status, undefined)?.status ?? 501;
}

/** The cases in document order, from the plan `compile()` returns. */
export async function apiCases(plan: { document: Record<string, any>; paths: PlannedPath[] }): Promise<ApiCases> {
  const planned = new Map<string, PlannedOperation>();
  for (const operation of plan.paths.flatMap((path) => path.operations)) planned.set(`${operation.method} ${operation.path}`, operation);
  const synthesizer = new Synthesizer(plan.document);
  const cases: ApiCase[] = [];
  const uncovered: Uncovered[] = [];
  for (const { path, method, pointer } of operationsOf(plan.document)) {
    const operation = planned.get(`${method.toUpperCase()} ${path}`);
    const operationId = operation?.operationId ?? plan.document.paths[path]?.[method]?.operationId ?? `${method.toUpperCase()} ${path}`;
    const skip = (why: string) => uncovered.push({ operationId, method: method.toUpperCase(), path, why });
    if (!operation) {
      skip("never reached: another operation has the same method and path");
      continue;
    }
    if (operation.handler.builtin?.name !== "mock") {
      skip(`answered by ${operation.handler.use}`);
      continue;
    }
    const prepared = synthesizer.prepare(path, method, pointer);
    if (prepared.unsent) {
      skip(prepared.unsent);
      continue;
    }
    const request = await synthesizer.valid(prepared, { requiredOnly: true });
    const open = isPublic(operation.inbound);
    const item: ApiCase = { operationId, method: request.method, url: request.url, status: open ? mockStatus(operation.handler) : 401 };
    if (Object.keys(request.headers).length > 0) item.headers = request.headers;
    if (request.body) item.body = prepared.body?.kind === "json" ? JSON.parse(request.body.toString("utf8")) : request.body.toString("utf8");
    if (!open) item.needsCredentials = true;
    cases.push(item);
  }
  return { cases, uncovered };
}

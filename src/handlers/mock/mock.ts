/**
 * @module
 * mock: answers from the operation's declared responses, prepared at build
 * time. `Prefer: code=404` picks the status, `Prefer: example=name` the example
 * (the convention of Prism and Zuplo's mock handler). A problem+json answer
 * carries the request's own `requestId` and `instance` where its example has
 * them (marked at build time).
 */
import type { FromSchema } from "json-schema-to-ts";
import { defineBuiltin } from "../../runtime/builtin.ts";
import { GatewayError, PROBLEM } from "../../runtime/errors.ts";
import type { GatewayContext } from "../../runtime/types.ts";
import { chooseResponse } from "./choose.ts";
import { isJsonMediaType, type MockExample, type MockPrepared, type MockResponse, type options } from "./options.ts";

/** Reads `code` and `example` from the Prefer header (RFC 7240). */
export function parsePrefer(header: string | null): { code?: string; example?: string } {
  const prefs: Record<string, string> = {};
  for (const part of (header ?? "").split(/[,;]/)) {
    const match = /^\s*([a-z-]+)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
    if (match) prefs[match[1].toLowerCase()] = match[2];
  }
  return { code: prefs.code, example: prefs.example };
}

function body(value: unknown, contentType: string): string {
  if (isJsonMediaType(contentType)) return JSON.stringify(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

export const mock = defineBuiltin<FromSchema<typeof options>, MockPrepared>({
  create({ options: { status }, prepared: { responses } }) {
    return { handle: (request, ctx) => answer(request, ctx, responses, status) };
  },
});

/** The example's value, with the members the build marked taken from this request. */
function valueFor(example: MockExample, request: Request, ctx: GatewayContext): unknown {
  if (!example.fromRequest) return example.value;
  const value = { ...(example.value as Record<string, unknown>) };
  for (const member of example.fromRequest) value[member] = member === "requestId" ? ctx.requestId : new URL(request.url).pathname;
  return value;
}

function answer(request: Request, ctx: GatewayContext, responses: MockResponse[], status: number | undefined): Response {
  const prefer = parsePrefer(request.headers.get("prefer"));
  const response = chooseResponse(responses, status, prefer.code);
  if (!response) {
    const declared = responses.map((r) => r.key).join(", ") || "none";
    throw new GatewayError(
      PROBLEM.notImplemented,
      `The mock has no response for ${prefer.code ? `code=${prefer.code}` : "this operation"}. Declared: ${declared}.`,
    );
  }
  const applied: string[] = [];
  if (prefer.code) applied.push(`code=${prefer.code}`);
  let example = response.examples[0];
  if (prefer.example) {
    const named = response.examples.find((e) => e.name === prefer.example);
    if (named) {
      example = named;
      applied.push(`example=${prefer.example}`);
    }
  }
  const headers = new Headers();
  if (applied.length > 0) headers.set("preference-applied", applied.join(", "));
  if (!example || !response.contentType || response.status === 204 || response.status === 304) {
    return new Response(null, { status: response.status, headers });
  }
  headers.set("content-type", response.contentType);
  return new Response(body(valueFor(example, request, ctx), response.contentType), { status: response.status, headers });
}

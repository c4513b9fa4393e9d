/**
 * Sends a request to a compiled test gateway inside workerd, the way the
 * Workers runtime would: with the env bindings and an execution context.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";

interface Gateway {
  fetch(request: Request, env: unknown, ctx: ExecutionContext): Response | Promise<Response>;
}

/** `bindings` replaces the test env, e.g. with a binding wrapped to fail. */
export async function call(gateway: Gateway, input: string, init?: RequestInit, bindings: object = env): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await gateway.fetch(new Request(new URL(input, "https://api.example.com"), init), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** Reads a problem+json body, checking its media type. */
export async function problemOf(response: Response) {
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(`expected problem+json, got ${response.headers.get("content-type")}`);
  }
  return (await response.json()) as { type: string; title: string; status: number; detail: string; instance: string; requestId: string; traceId?: string };
}

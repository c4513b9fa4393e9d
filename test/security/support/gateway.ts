/**
 * The tests' side of the suite: requests to the gateway `npm run dev` serves,
 * and what the servers around it saw (read from the control port).
 */
import { randomUUID } from "node:crypto";
import { expect, inject } from "vitest";
import type { Received } from "./recording-upstream.ts";
import "./suite.ts";

export const suite = inject("securitySuite");
const control = `http://127.0.0.1:${suite.controlPort}`;

/** A case's tag, unique per run: sent as `x-case`, under which the upstream records what reached it. */
export const tag = (id: string): string => `${id}-${randomUUID().slice(0, 8)}`;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** A request to the gateway (a path under its base, or a whole URL), its body read. */
export async function send(path: string, init: RequestInit & { tag?: string } = {}): Promise<Answer> {
  const { tag: caseTag, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (caseTag) headers.set("x-case", caseTag);
  const response = await fetch(/^https?:/.test(path) ? path : `${suite.gateway}${path}`, { redirect: "manual", ...rest, headers });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}

/** What reached the upstream under a case's tag. */
export async function upstreamSaw(caseTag: string): Promise<Received[]> {
  return (await fetch(`${control}/upstream?case=${encodeURIComponent(caseTag)}`)).json() as Promise<Received[]>;
}

/** Everything that reached the upstream, whatever its tag. */
export async function upstreamSawAll(): Promise<Received[]> {
  return (await fetch(`${control}/upstream`)).json() as Promise<Received[]>;
}

/** Every request the attacker's host ever got. */
export async function attackerSaw(): Promise<Array<{ method: string; target: string }>> {
  return (await fetch(`${control}/attacker`)).json() as Promise<Array<{ method: string; target: string }>>;
}

/** Key-set fetches per key set, and every path the identity provider was asked for. */
export async function identitySaw(): Promise<{ fetches: Record<string, number>; paths: string[] }> {
  return (await fetch(`${control}/identity`)).json() as Promise<{ fetches: Record<string, number>; paths: string[] }>;
}

export async function controlPost(path: string): Promise<void> {
  await fetch(`${control}${path}`, { method: "POST" });
}

/** What `npm run dev` printed so far. */
export async function devOutput(): Promise<string> {
  return (await fetch(`${control}/dev/output`)).text();
}

/** The value of a raw header line the upstream got (names are lower-cased), or undefined. */
export function headerOf(received: Received, name: string): string | undefined {
  return received.headers.find(([key]) => key === name)?.[1];
}

/** An RFC 9457 problem made by the gateway itself: typed, with a requestId, and no trace of its insides. */
export function expectProblem(answer: Answer, status: number): Record<string, unknown> {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers.get("content-type")).toBe("application/problem+json");
  const body = answer.json();
  expect(body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), requestId: expect.any(String) });
  expectNoInternals(answer.text);
  return body;
}

/** No stack frame, source path or error class in what a client reads. */
export function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\n\s+at |\bat [\w.<>]+ \(|\.ts:\d+|node_modules|TypeError|ReferenceError|SyntaxError/);
}

/** A 401 refusal: problem+json with WWW-Authenticate. */
export function expectRefused(answer: Answer): void {
  expectProblem(answer, 401);
  expect(answer.headers.get("www-authenticate")).toBeTruthy();
}

/** Runs `tasks` with at most `width` at a time, in order of their index. */
export async function pool<T>(count: number, width: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, worker));
  return results;
}

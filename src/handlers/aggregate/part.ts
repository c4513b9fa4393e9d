/**
 * @module
 * One part: its subrequest, bounded in time (headers and body alike) and in
 * size, read into a JSON value or into the reason it failed. A part never
 * throws: how a failure ends the request is the aggregate's to decide.
 */
import { readBounded } from "../../runtime/read-bounded.ts";
import type { PartFailure } from "./options.ts";

export type PartOutcome = { ok: true; value: unknown } | { ok: false; failure: PartFailure };

export interface PartCall {
  name: string;
  method: string;
  url: string;
  headers: Headers;
  timeout: number;
  maxBytes: number;
  /** Aborted when the answer no longer needs this part (a required one failed). */
  group: AbortSignal;
}

const isJson = (type: string) => /^[^;]*[/+]json\s*(;|$)/i.test(type);
const isText = (type: string) => /^\s*text\//i.test(type);

/** Settles with `work`, or rejects as soon as the signal aborts: a stalled body read ends with its part. */
function whileOpen<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", stop));
  });
}

/** The value of a 2xx answer, or why it cannot be one. */
async function valueOf(response: Response, call: PartCall, signal: AbortSignal): Promise<PartOutcome> {
  const fail = (reason: PartFailure["reason"], detail: string): PartOutcome => ({
    ok: false,
    failure: { part: call.name, reason, status: response.status, detail },
  });
  const type = response.headers.get("content-type") ?? "";
  const declared = Number(response.headers.get("content-length") ?? NaN);
  const tooLarge = `The answer is larger than ${call.maxBytes} bytes.`;
  if (declared > call.maxBytes) {
    await response.body?.cancel().catch(() => {});
    return fail("too-large", tooLarge);
  }
  const bytes = await whileOpen(signal, readBounded(response.body, call.maxBytes));
  if (!bytes) return fail("too-large", tooLarge);
  if (bytes.byteLength === 0) return { ok: true, value: null };
  const text = new TextDecoder().decode(bytes);
  if (isText(type)) return { ok: true, value: text };
  if (!isJson(type)) return fail("not-json", `The answer is ${type ? type.split(";")[0].trim() : "of no declared type"}, not JSON or text.`);
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return fail("invalid-json", "The answer says it is JSON but does not parse as JSON.");
  }
}

/** Sends one part and reads its answer, within its timeout. */
export async function callPart(call: PartCall): Promise<PartOutcome> {
  const abort = new AbortController();
  const leave = () => abort.abort(call.group.reason);
  call.group.addEventListener("abort", leave, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort(new Error("timed out"));
  }, call.timeout);
  let status: number | undefined;
  try {
    const response = await fetch(call.url, { method: call.method, headers: call.headers, redirect: "manual", signal: abort.signal });
    status = response.status;
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => {});
      return { ok: false, failure: { part: call.name, reason: "status", status, detail: `The upstream answered ${status}.` } };
    }
    return await valueOf(response, call, abort.signal);
  } catch {
    if (timedOut) {
      return {
        ok: false,
        failure: { part: call.name, reason: "timeout", ...(status ? { status } : {}), detail: `No whole answer within ${call.timeout} ms.` },
      };
    }
    const detail = status ? "The upstream broke off its answer." : "The upstream could not be reached.";
    return { ok: false, failure: { part: call.name, reason: "unreachable", ...(status ? { status } : {}), detail } };
  } finally {
    clearTimeout(timer);
    call.group.removeEventListener("abort", leave);
  }
}

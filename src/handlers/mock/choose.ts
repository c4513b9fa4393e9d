/**
 * @module
 * Which declared response the mock answers with. Shared by the handler and
 * by `portico init`, which writes the status each operation answers into the
 * project's test of its API.
 */
import type { MockResponse } from "./options.ts";

/**
 * `Prefer: code=` picks by key or status; else the handler's `status` option;
 * else the lowest 2xx, or the first declared response when there is no 2xx.
 * Undefined: nothing matches, and the mock answers 501.
 */
export function chooseResponse(responses: MockResponse[], status: number | undefined, code: string | undefined): MockResponse | undefined {
  if (code) return responses.find((r) => r.key === code || String(r.status) === code);
  if (status) return responses.find((r) => r.status === status);
  const success = responses.filter((r) => r.status >= 200 && r.status < 300).sort((a, b) => a.status - b.status);
  return success[0] ?? responses[0];
}

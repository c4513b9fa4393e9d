/**
 * F. Faults (F1–F8): an upstream that is down, slow or odd, key sets and
 * counters that cannot be had, user code that breaks. Every answer is the
 * gateway's problem or the upstream's own status, never a 200 that should
 * not be, never a stack trace, and the gateway goes on serving.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import { controlPost, devOutput, expectNoInternals, expectProblem, send, tag, upstreamSaw } from "./support/gateway.ts";
import { abandonUpload, head } from "./support/raw-http.ts";
import { token } from "./support/tokens.ts";

const bearer = async (header: Record<string, unknown> = {}) => ({ authorization: `Bearer ${await token({}, { header })}` });

/** Polls until `condition` holds, for at most `ms`. */
async function eventually(condition: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(100)) if (await condition()) return true;
  return condition();
}

describe("F. Faults", () => {
  it("F1: an upstream that refuses the connection → 502 problem, no internals", async () => {
    expectProblem(await send("/faults/down"), 502);
  });

  it("F2: an upstream slower than the timeout → 504 problem, and the upstream request is abandoned", async () => {
    const caseTag = tag("F2");
    expectProblem(await send("/faults/slow", { tag: caseTag }), 504);
    expect(await eventually(async () => (await upstreamSaw(caseTag))[0]?.abandoned === true)).toBe(true);
  });

  // Under `npm run dev` a client's disconnect never reaches the Worker: wrangler dev's proxy keeps the request (and so its upstream fetch) running, even with request.signal followed.
  it.fails("F2: a client that gives up mid-request has the upstream request abandoned too", async () => {
    const caseTag = tag("F2");
    await expect(send("/faults/hang", { tag: caseTag, signal: AbortSignal.timeout(500) })).rejects.toThrow();
    // The upstream answers after 3 s: by then the request was abandoned, or never will be.
    expect(await eventually(async () => (await upstreamSaw(caseTag))[0]?.abandoned === true, 3000)).toBe(true);
  });

  it("F2: a client that leaves mid-upload is logged as such, not as an error; a checked body never reaches the upstream, a streamed one never whole", async () => {
    const checked = tag("F2");
    const streamed = tag("F2");
    await abandonUpload(`${head("POST /v1/users HTTP/1.1", [`x-case: ${checked}`, "Content-Type: application/json", "Content-Length: 1000"])}{"name":"ha`, 300);
    await abandonUpload(
      `${head("POST /v1/echo/upload HTTP/1.1", [`x-case: ${streamed}`, "Content-Type: text/plain", "Transfer-Encoding: chunked"])}5\r\nhello\r\n`,
      300,
    );
    const linesOf = async () =>
      (await devOutput())
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => JSON.parse(line) as { level: string; message: string; operationId?: string })
        .filter((line) => line.operationId === "createUser" || line.operationId === "postEcho");
    const left = async () => (await linesOf()).filter((line) => line.message === "client closed the connection");
    expect(await eventually(async () => (await left()).length >= 2, 10_000)).toBe(true);
    expect((await left()).map((line) => line.level)).toEqual(expect.arrayContaining(["info", "info"]));
    expect((await linesOf()).filter((line) => line.level === "error")).toEqual([]);
    expect(await upstreamSaw(checked)).toEqual([]);
    for (const record of await upstreamSaw(streamed)) expect(record.bodySha256, "the streamed body ended as if whole").toBe("");
  });

  it("F3: upstream 5xx and 4xx statuses pass through unchanged; huge upstream headers give no 500 of the gateway's", async () => {
    for (const status of [500, 502, 503, 418, 404]) {
      const answer = await send(`/faults/status/${status}`);
      expect(answer.status).toBe(status);
      expect(answer.json()).toEqual({ upstream: status });
    }
    const huge = await send("/faults/huge-headers");
    expect([200, 502]).toContain(huge.status);
    expectNoInternals(huge.text);
  });

  it("F4: a key set that breaks after it was read keeps serving its keys; one never reached refuses, never 200", async () => {
    expect((await send("/faults/flaky-keys", { headers: await bearer() })).status).toBe(200);
    await controlPost("/identity/break-flaky");
    await sleep(1100);
    // An unknown kid makes the gateway ask again, and the key set answers 500.
    expect([401, 503]).toContain((await send("/faults/flaky-keys", { headers: await bearer({ kid: "rotated-away" }) })).status);
    expect((await send("/faults/flaky-keys", { headers: await bearer() })).status).toBe(200);
    const cold = await send("/faults/unreachable-keys", { headers: await bearer() });
    expect([401, 503]).toContain(cold.status);
    expectNoInternals(cold.text);
  });

  it("F5: a key set answering 500, not JSON or 5 MB → 503 or 401, never 200, and the gateway goes on serving", async () => {
    for (const path of ["/faults/broken-keys", "/faults/not-json-keys", "/faults/huge-keys"]) {
      const answer = await send(path, { headers: await bearer() });
      expect([401, 503], path).toContain(answer.status);
      expectNoInternals(answer.text);
    }
    expect((await send("/public")).status).toBe(200);
  });

  it("F6: a rate limit whose counter cannot be reached → 503 when it fails closed (the default), 200 when it fails open", async () => {
    const caseTag = tag("F6");
    expectProblem(await send("/faults/lost-counter", { tag: caseTag }), 503);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
    expect((await send("/faults/lost-counter-open")).status).toBe(200);
  });

  it("F7: a consumer store that cannot be read → 503, never 200", async () => {
    const caseTag = tag("F7");
    expectProblem(await send("/faults/lost-store", { headers: { "x-lost-key": generateApiKey() }, tag: caseTag }), 503);
    expect(await upstreamSaw(caseTag)).toHaveLength(0);
  });

  it("F8: a policy that throws or returns neither Request nor Response → 500 problem with a requestId and nothing of the error; the next request succeeds", async () => {
    for (const path of ["/faults/throws", "/faults/bad-return"]) {
      const answer = await send(path);
      expectProblem(answer, 500);
      expect(answer.text).not.toMatch(/postgres|hunter2|10\.0\.0\.5|not a request/);
      expect((await send("/public")).status).toBe(200);
    }
  });
});

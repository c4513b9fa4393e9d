/**
 * @module
 * `portico/testing`: helpers that run a policy, a handler or the whole gateway
 * inside workerd with @cloudflare/vitest-plugin. Tests only: it imports vitest
 * and cloudflare:test, so the Worker itself never imports it.
 *
 * @example
 * ```ts
 * import { fakeConsumer, runPolicy, testRequest } from "portico/testing";
 * import policy from "./tier-header.ts";
 *
 * it("passes the tier on", async () => {
 *   const { forwarded } = await runPolicy(policy, testRequest("/"), { consumer: fakeConsumer({ tier: "gold" }) });
 *   expect(forwarded?.headers.get("x-consumer-tier")).toBe("gold");
 * });
 * ```
 */
export { testRequest, TEST_ORIGIN, type TestRequestInit } from "./request.ts";
export { fakeConsumer, storeApiKey } from "./consumer.ts";
export { echo, fakeUpstream, type FakeUpstream, type RecordedRequest, type UpstreamAnswer } from "./upstream.ts";
export { testClock, type TestClock } from "./clock.ts";
export { runHandler, runPolicy, type PolicyRun, type RunOptions } from "./policy.ts";
export { callGateway, type CallOptions, type CompiledGateway } from "./gateway.ts";

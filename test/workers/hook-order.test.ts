import { beforeAll, describe, expect, it, vi } from "vitest";
import gateway from "../.generated/order/app.ts";
import { call } from "../support/call.ts";
import { storeConsumer } from "../support/consumers.ts";

/** The finish steps of GET /traced, in the order its policies are listed: gateway inbound, operation inbound, operation outbound, gateway outbound. */
const FINISH = ["gateway-in.finish", "op-in.finish", "op-out.finish", "gateway-out.finish"];

let key: string;
beforeAll(async () => {
  key = await storeConsumer({ id: `ordered-${crypto.randomUUID()}` });
});

/** GET /traced from a known consumer, in a rate-limit bucket of its own unless one is given. */
function send(path = "/traced", headers: Record<string, string> = {}) {
  return call(gateway, path, { headers: { "x-api-key": key, "x-bucket": crypto.randomUUID(), ...headers } });
}

const traceOf = (response: Response) => response.headers.get("x-trace")?.split(",");

describe("the order of the pipeline's steps", () => {
  it("runs gateway inbound, authentication, operation inbound, validation, the handler, operation outbound, gateway outbound, then every finish step in listed order", async () => {
    const response = await send("/traced?n=1");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("answered");
    expect(traceOf(response)).toEqual([
      "gateway-in.inbound:anonymous",
      "op-in.inbound:consumer",
      "handler",
      "op-out.outbound",
      "gateway-out.outbound",
      ...FINISH,
    ]);
  });

  it("validates after the operation's inbound policies: its 400 skips the handler and the outbound chain, not the finish steps", async () => {
    const response = await send("/traced?n=not-a-number");
    expect(response.status).toBe(400);
    expect(traceOf(response)).toEqual(["gateway-in.inbound:anonymous", "op-in.inbound:consumer", ...FINISH]);
  });

  it("runs the outbound chain and the finish steps on an inbound policy's early Response", async () => {
    const response = await send("/traced", { "x-stop": "1" });
    expect(response.status).toBe(418);
    expect(traceOf(response)).toEqual(["gateway-in.inbound:anonymous", "op-in.inbound:consumer", "op-out.outbound", "gateway-out.outbound", ...FINISH]);
  });

  it("runs every finish step on a 401 from authentication, which only the gateway's inbound ran before", async () => {
    const response = await call(gateway, "/traced");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(traceOf(response)).toEqual(["gateway-in.inbound:anonymous", ...FINISH]);
  });

  it("runs every finish step on a 429 from a rate limit before the handler", async () => {
    const bucket = { "x-bucket": crypto.randomUUID() };
    expect((await send("/traced", bucket)).status).toBe(200);
    const response = await send("/traced", bucket);
    expect(response.status).toBe(429);
    expect(traceOf(response)).toEqual(["gateway-in.inbound:anonymous", "op-in.inbound:consumer", ...FINISH]);
  });

  it("runs every finish step on a 500 from a policy that throws", async () => {
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = await send("/traced", { "x-fail": "1" }).finally(() => quiet.mockRestore());
    expect(response.status).toBe(500);
    expect(traceOf(response)).toEqual(["gateway-in.inbound:anonymous", "op-in.inbound:consumer", ...FINISH]);
  });

  it("runs the finish steps after the gateway has set X-Request-Id and the RateLimit headers", async () => {
    const response = await send();
    expect(response.headers.get("x-finish-saw")).toBe("x-request-id,ratelimit-policy");
  });
});

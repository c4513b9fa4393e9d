/**
 * A real document nobody here wrote (Redocly's museum example, in
 * test/fixtures/specs), compiled with `--default-handler mock` and served.
 */
import { beforeAll, describe, expect, it } from "vitest";
import gateway from "../.generated/museum/app.ts";
import { call } from "../support/call.ts";
import { storeConsumer } from "../support/consumers.ts";

// The document secures every operation with HTTP basic: the consumer id and one of its API keys.
let authorization = "";
beforeAll(async () => {
  const key = await storeConsumer({ id: "visitor" });
  authorization = `Basic ${btoa(`visitor:${key}`)}`;
});

/** The path of the document's servers[0].url, which the gateway serves under. */
const BASE = "/_mock/docs/openapi/museum-api";

describe("Redocly's museum document served as a mock", () => {
  it("answers an operation with its named example", async () => {
    expect((await call(gateway, `${BASE}/museum-hours`)).status).toBe(401);
    const response = await call(gateway, `${BASE}/museum-hours`, { headers: { authorization } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Array<{ date: string; timeOpen: string }>;
    expect(body[0]).toMatchObject({ date: expect.any(String), timeOpen: expect.any(String) });
  });

  it("routes a templated path with the document's own parameter", async () => {
    const response = await call(gateway, `${BASE}/special-events/dad20bb9-b7c0-4e5d-9b8b-64d5d3b1b1a4`, { headers: { authorization } });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty("eventId");
  });

  it("serves the document at /openapi.json", async () => {
    const spec = (await (await call(gateway, "/openapi.json")).json()) as { info: { title: string } };
    expect(spec.info.title).toBe("Redocly Museum API");
  });
});

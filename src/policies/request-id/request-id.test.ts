import { describe, expect, it } from "vitest";
import gateway from "../../../test/.generated/pipeline/app.ts";
import { call } from "../../../test/support/call.ts";

interface Echo {
  requestId: string;
  headers: Record<string, string>;
}

describe("request-id", () => {
  it("makes an id, passes it upstream and echoes it", async () => {
    const response = await call(gateway, "/v2/things/1");
    const echo = (await response.json()) as Echo;
    expect(echo.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(echo.headers["x-request-id"]).toBe(echo.requestId);
    expect(response.headers.get("x-request-id")).toBe(echo.requestId);
  });

  it("adopts a well-formed incoming X-Request-Id", async () => {
    const response = await call(gateway, "/v2/things/1", { headers: { "x-request-id": "client-abc-123" } });
    expect(((await response.json()) as Echo).requestId).toBe("client-abc-123");
    expect(response.headers.get("x-request-id")).toBe("client-abc-123");
  });

  it("replaces a malformed one rather than echo it", async () => {
    const response = await call(gateway, "/v2/things/1", { headers: { "x-request-id": 'bad id"<script>' } });
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

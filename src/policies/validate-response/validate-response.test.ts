import { afterEach, describe, expect, it, vi } from "vitest";
import gateway from "../../../test/.generated/validation/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";
import { LARGE_JSON_CHUNKS, largeJson } from "../../../test/fixtures/gateways/validation/policies/large-json.ts";

afterEach(() => vi.restoreAllMocks());

describe("validate-response", () => {
  it("passes a response that keeps the declared contract", async () => {
    const response = await call(gateway, "/responses/kept");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: "GET", target: "/responses/kept" });
  });

  it("enforce: replaces a response that breaks its schema with a 502 problem", async () => {
    const response = await call(gateway, "/responses/enforced");
    expect(response.status).toBe(502);
    expect((await problemOf(response)).detail).toBe("The upstream's response does not match the API description.");
  });

  it("enforce: an undeclared status is a broken contract too", async () => {
    expect((await call(gateway, "/responses/undeclared")).status).toBe(502);
  });

  it("passes a chunked body larger than maxBodyBytes on whole and unchecked, having read only about maxBodyBytes of it", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(String(line)));
    const before = largeJson.pulls;
    const response = await call(gateway, "/responses/large");
    expect(response.status).toBe(200);
    // 1 MiB of the 3 MiB in 64 KiB chunks is 16: the rest is pulled as the client reads.
    expect(largeJson.pulls - before).toBeLessThanOrEqual(20);
    const body = (await response.json()) as { items: unknown[] };
    expect(body.items.length).toBeGreaterThan(300_000);
    expect(largeJson.pulls - before).toBe(LARGE_JSON_CHUNKS);
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.message === "response too large to check");
    expect(logged).toMatchObject({ level: "info", status: 200, reason: expect.stringContaining("1048576") });
  });

  it("a HEAD answered by the GET operation has no body to check: it passes with its headers", async () => {
    const response = await call(gateway, "/responses/kept", { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe("");
  });

  it("a 204 under a declared 2XX with content passes: it has no content to check", async () => {
    const response = await call(gateway, "/responses/no-content");
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("log: passes the response on and logs what is wrong", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(String(line)));
    vi.spyOn(console, "warn").mockImplementation((line: string) => void lines.push(String(line)));
    const response = await call(gateway, "/responses/logged");
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveProperty("method", "GET");
    const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.message === "response breaks the API description");
    expect(logged).toMatchObject({ level: "warn", status: 200, problems: ["/id is required"] });
  });
});

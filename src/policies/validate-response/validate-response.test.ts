import { afterEach, describe, expect, it, vi } from "vitest";
import gateway from "../../../test/.generated/validation/app.ts";
import { call, problemOf } from "../../../test/support/call.ts";

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

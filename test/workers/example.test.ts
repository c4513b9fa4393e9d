/**
 * The example gateway of openapi/ and policies/, through the Worker's own
 * default export, as `npm run dev` serves it.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const get = (path: string, init?: RequestInit) => exports.default.fetch(new Request(`http://localhost:8787${path}`, init));

describe("the example Museum API", () => {
  it("lists exhibits from the mock, with the user policy's Cache-Control", async () => {
    const response = await get("/v1/exhibits?limit=2");
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60");
    expect(response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((item) => item.id)).toEqual(["ex-1001", "ex-1002"]);
  });

  it("serves the fixed /exhibits/featured before /exhibits/{exhibitId}", async () => {
    expect(await (await get("/v1/exhibits/featured")).json()).toMatchObject({ id: "ex-1001" });
    expect(await (await get("/v1/exhibits/ex-7", { headers: { prefer: "example=sculpture" } })).json()).toMatchObject({ id: "ex-1002" });
  });

  it("answers from the user handler in policies/ticket-code.ts", async () => {
    expect(await (await get("/v1/tickets/tk-42/qr")).json()).toEqual({ ticketId: "tk-42", code: "MUSEUM-TK-42" });
  });

  it("answers DELETE with the declared 204 and no body", async () => {
    const response = await get("/v1/exhibits/ex-1", { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });
});

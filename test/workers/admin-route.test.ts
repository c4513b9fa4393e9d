import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import shadow from "../.generated/shadow/app.ts";
import { call } from "../support/call.ts";
import { hits } from "../support/tokens.ts";

describe("the quota admin route beside a document route that matches its path", () => {
  it("answers the admin itself, so the admin token never reaches the upstream", async () => {
    const probe = crypto.randomUUID();
    const response = await call(shadow, "/_portico/quota/acme", { headers: { authorization: `Bearer ${env.PORTICO_ADMIN_TOKEN}`, "x-probe": probe } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ consumer: "acme", quotas: [{ policy: "daily" }] });
    expect(await hits(probe)).toBe(0);
  });

  it("lets anyone else through to the document's route, as if the admin route did not exist", async () => {
    const probe = crypto.randomUUID();
    const response = await call(shadow, "/_portico/quota/acme", { headers: { authorization: "Bearer guess", "x-probe": probe } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { target: string }).target).toBe("/_portico/quota/acme");
    expect(await hits(probe)).toBe(1);
  });
});

/**
 * C. Validation of parameters (V6): path, query, header and cookie values in
 * their OpenAPI styles, coerced strictly; repeats, NUL and malformed
 * percent-encoding refused before anything could read them another way.
 */
import { describe, expect, it } from "vitest";
import { expectProblem, send, tag, upstreamSaw } from "./support/gateway.ts";

/** Each request → 400 naming a parameter where it says (`in`), none reaching the upstream. */
async function expectRefusedAt(where: "path" | "query" | "header" | "cookie", requests: Record<string, [string, Record<string, string>?]>) {
  const caseTag = tag("V6");
  for (const [name, [path, headers]] of Object.entries(requests)) {
    const answer = await send(path, { headers, tag: caseTag });
    expect(answer.status, `${name}: ${answer.text.slice(0, 300)}`).toBe(400);
    expect(expectProblem(answer, 400).errors, name).toContainEqual(expect.objectContaining({ in: where }));
  }
  expect(await upstreamSaw(caseTag)).toHaveLength(0);
}

describe("C. Validation: parameters", () => {
  it("V6: a valid request in every style passes, its query forwarded as sent", async () => {
    const caseTag = tag("V6");
    const query = "?limit=10&tags=a,b&ids=1|2&filter[color]=red";
    const answer = await send(`/items/5${query}`, { headers: { "x-page-size": "20", cookie: "session=abc123" }, tag: caseTag });
    expect(answer.status, answer.text).toBe(200);
    expect((await upstreamSaw(caseTag))[0].target).toBe(`/items/5${query}`);
    expect((await send("/label/.3.4")).status).toBe(200);
    expect((await send("/matrix/;zoom=3")).status).toBe(200);
  });

  it("V6: path integers written 1e3, 01, -0, +1, 1.0, 0, with NUL or overlong UTF-8 → 400 in path", async () => {
    await expectRefusedAt("path", {
      "1e3": ["/items/1e3?limit=1"],
      "01": ["/items/01?limit=1"],
      "-0": ["/items/-0?limit=1"],
      "+1": ["/items/+1?limit=1"],
      "1.0": ["/items/1.0?limit=1"],
      "below minimum": ["/items/0?limit=1"],
      NUL: ["/items/1%00?limit=1"],
      "bad percent-encoding": ["/items/%zz?limit=1"],
      "lone percent": ["/items/1%?limit=1"],
      "overlong dot": ["/items/%c0%ae?limit=1"],
      "label not integers": ["/label/.3.x"],
      "label one item": ["/label/.3"],
      "matrix too large": ["/matrix/;zoom=99"],
      "matrix another name": ["/matrix/;level=3"],
    });
  });

  it("V6: a missing, repeated, malformed or out-of-style query parameter → 400 in query", async () => {
    await expectRefusedAt("query", {
      missing: ["/items/1"],
      "1e3": ["/items/1?limit=1e3"],
      "01": ["/items/1?limit=01"],
      empty: ["/items/1?limit="],
      "over maximum": ["/items/1?limit=101"],
      "sent twice": ["/items/1?limit=1&limit=2"],
      NUL: ["/items/1?limit=1%00"],
      "bad percent-encoding": ["/items/1?limit=%zz"],
      "form list outside its enum": ["/items/1?limit=1&tags=a,d"],
      "form list exploded where it is not": ["/items/1?limit=1&tags=a&tags=b"],
      "pipe list with text": ["/items/1?limit=1&ids=1|x"],
      "deepObject outside its enum": ["/items/1?limit=1&filter[color]=green"],
      "deepObject extra member": ["/items/1?limit=1&filter[size]=1"],
      "deepObject nested deeper": ["/items/1?limit=1&filter[color][x]=red"],
    });
  });

  it("V6: header and cookie parameters are checked too; a declared cookie sent twice → 400", async () => {
    await expectRefusedAt("header", {
      "over maximum": ["/items/1?limit=1", { "x-page-size": "100" }],
      "1e1": ["/items/1?limit=1", { "x-page-size": "1e1" }],
    });
    await expectRefusedAt("cookie", {
      pattern: ["/items/1?limit=1", { cookie: "session=ABC!" }],
      twice: ["/items/1?limit=1", { cookie: "session=abc; session=def" }],
      "twice with other cookies between": ["/items/1?limit=1", { cookie: "session=abc; theme=dark; session=def" }],
    });
  });
});

import { describe, expect, it } from "vitest";
import { parametersSection } from "./operation-parameters.ts";

const headers = (html: string) => [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((match) => match[1]);

describe("an operation's parameters table", () => {
  it("leaves out the columns no parameter fills", () => {
    const html = parametersSection(
      {},
      [
        { name: "owner", in: "path", required: true, schema: { type: "string" }, description: "The account's owner.", examples: [] },
        { name: "page", in: "query", required: false, schema: { type: "integer" }, examples: [] },
      ],
      "../",
    );
    expect(headers(html)).toEqual(["Name", "In", "Type", "Required", "Description"]);
    expect(html).toContain("<tr><td><code>page</code></td><td>query</td><td>integer</td><td>no</td><td></td></tr>");
  });

  it("shows a column one parameter fills, its values as typed", () => {
    const html = parametersSection(
      {},
      [
        { name: "sort", in: "query", required: false, schema: { type: "string", enum: ["created", "updated"], default: "created" }, examples: [] },
        { name: "q", in: "query", required: false, schema: { type: "string" }, examples: [{ name: "a", value: 'is:"open"' }] },
      ],
      "../",
    );
    expect(headers(html)).toEqual(["Name", "In", "Type", "Required", "Default", "Allowed", "Examples"]);
    expect(html).toContain('<td><code>"created"</code> <code>"updated"</code></td>');
    expect(html).toContain('<td><code>is:"open"</code></td>');
  });
});

import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemaChecks } from "../../test/support/schema-checks.ts";
import { sampleBody, shownExamples, useChecks } from "./examples.ts";
import { resolve } from "./refs.ts";

const EVENTS = `
openapi: 3.1.0
info: { title: Events, version: "1" }
paths:
  /events:
    get:
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Event" } } } }
    post:
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Event" } } } }
      responses:
        "201": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Event" }, example: { id: given } } } }
  /archive:
    get:
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Event" } } } }
  /settings:
    patch:
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Settings" } } } }
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Wide" } } } }
components:
  schemas:
    Event:
      type: object
      required: [id, at, kind, code]
      properties:
        id: { type: string, format: uuid, readOnly: true }
        at: { type: string, format: date-time }
        kind: { enum: [created, deleted] }
        code: { type: string, pattern: "^[A-Z]{3}-[0-9]{4}$" }
        email: { type: string, format: email }
        count: { type: integer, minimum: 5, maximum: 9 }
    Settings:
      type: object
      properties:
        nested: { type: object, properties: { a: { type: string }, b: { type: string } } }
        name: { type: string }
        size: { type: integer, minimum: 1 }
        tags: { type: array, items: { type: string } }
        on: { type: boolean }
        email: { type: string, format: email }
        theme: { enum: [light, dark] }
        locale: { type: string }
`;

function events(checks = true, schemas: Record<string, unknown> = {}) {
  const document = parse(EVENTS) as Record<string, any>;
  Object.assign(document.components.schemas, schemas);
  if (checks) useChecks(document, schemaChecks(document));
  const media = (path: string, method: string, status?: string) => {
    const operation = document.paths[path][method];
    const holder = status ? resolve(document, operation.responses[status]) : resolve(document, operation.requestBody);
    return holder.content["application/json"];
  };
  return { document, media };
}

describe("examples generated from the schema", () => {
  it("honours formats, enums, patterns and bounds, and passes the gateway's check", () => {
    const { document, media } = events();
    const [example] = shownExamples(document, media("/events", "get", "200"), "application/json", "response");
    expect(example.summary).toBe("Generated from the schema");
    const value = example.value as Record<string, any>;
    expect(value.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Number.isNaN(Date.parse(value.at))).toBe(false);
    expect(["created", "deleted"]).toContain(value.kind);
    expect(value.code).toMatch(/^[A-Z]{3}-[0-9]{4}$/);
    expect(value.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(value.count).toBeGreaterThanOrEqual(5);
    expect(value.count).toBeLessThanOrEqual(9);
    expect(schemaChecks(document)("/components/schemas/Event", "response")!(value)).toEqual([]);
  });

  it("shows the document's own example first, and generates none beside it", () => {
    const { document, media } = events();
    expect(shownExamples(document, media("/events", "post", "201"), "application/json", "response")).toEqual([{ name: "example", value: { id: "given" } }]);
  });

  it("generates a schema shared by many operations once", () => {
    const { document, media } = events();
    const first = shownExamples(document, media("/events", "get", "200"), "application/json", "response")[0].value;
    const again = shownExamples(document, media("/archive", "get", "200"), "application/json", "response")[0].value;
    expect(again).toBe(first);
  });

  it("shows no generated value that the gateway's check refuses", () => {
    const { document, media } = events(false);
    const asked: string[] = [];
    useChecks(document, (pointer, direction) => {
      asked.push(`${direction} ${pointer}`);
      return () => [{ instancePath: "", keyword: "false", params: {} }];
    });
    expect(shownExamples(document, media("/events", "get", "200"), "application/json", "response")).toEqual([]);
    expect(asked).toContain("response /components/schemas/Event");
  });

  it("leaves out of a request what it never carries (readOnly), and sends what the schema requires", () => {
    const { document, media } = events();
    const body = sampleBody(document, media("/events", "post"), "application/json") as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["at", "code", "kind"]);
    expect(schemaChecks(document)("/components/schemas/Event", "request")!(body)).toEqual([]);
  });

  it("sends a few short properties of a schema that requires nothing, never an empty object", () => {
    const { document, media } = events();
    const body = sampleBody(document, media("/settings", "patch"), "application/json") as Record<string, unknown>;
    expect(Object.keys(body).length).toBeGreaterThan(0);
    expect(Object.keys(body).length).toBeLessThanOrEqual(5);
    expect(Object.values(body)).not.toContainEqual({});
    expect(JSON.stringify(body).length).toBeLessThan(700);
  });

  it("keeps a large generated value within the page's budget by leaving out optional properties", () => {
    const leaf = {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`field${i}`, { type: "string", format: "date-time" }])),
    };
    const { document } = events(true, {
      Wide: {
        type: "object",
        required: ["first"],
        properties: { first: { type: "string" }, ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`part${i}`, leaf])) },
      },
    });
    const media = resolve(document, document.paths["/settings"].patch.responses["200"]).content["application/json"];
    const [example] = shownExamples(document, media, "application/json", "response");
    expect(JSON.stringify(example.value, null, 2).length).toBeLessThanOrEqual(3_000);
    expect((example.value as Record<string, unknown>).first).toBeTypeOf("string");
  });

  it("sends the required part of a long example of the document's rather than print it in every language", () => {
    const { document, media } = events();
    const post = media("/events", "post");
    post.example = { at: "2026-01-01T00:00:00Z", kind: "created", code: "ABC-1234", email: `${"x".repeat(2_100)}@example.com` };
    expect(sampleBody(document, post, "application/json")).not.toHaveProperty("email");
    post.example = { at: "2026-01-01T00:00:00Z", kind: "created", code: "ABC-1234" };
    expect(sampleBody(document, post, "application/json")).toEqual(post.example);
  });

  it("sends a value that meets the schema in place of an example that does not", () => {
    const { document, media } = events();
    const post = media("/events", "post");
    post.example = { kind: "unknown" };
    const body = sampleBody(document, post, "application/json") as Record<string, unknown>;
    expect(["created", "deleted"]).toContain(body.kind);
  });

  it("generates nothing for media types whose values are not objects (XML, plain text, files)", () => {
    const { document, media } = events();
    expect(shownExamples(document, media("/events", "get", "200"), "application/xml", "response")).toEqual([]);
    expect(shownExamples(document, media("/events", "get", "200"), "application/octet-stream", "response")).toEqual([]);
  });
});

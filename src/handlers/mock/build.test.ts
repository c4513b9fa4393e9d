import { describe, expect, it } from "vitest";
import { runBuildContract } from "../../compiler/builtin.case.ts";
import { createDeref } from "../../compiler/spec/refs.ts";
import { forDirection } from "../../compiler/validators/read-write-only.ts";
import { createValidatorSet } from "../../compiler/validators/validators.ts";
import { generateValue } from "./build-generate.ts";

runBuildContract("mock", {
  valid: {},
  invalid: [{ status: 99 }, { status: 600 }, { status: "200" }, { example: "first" }],
});

/** A value generated for components/schemas/<name> of the document, as the mock makes one for a response. */
function generated(schemas: Record<string, unknown>, name: string) {
  const document = { openapi: "3.1.0", info: { title: "t", version: "1" }, paths: {}, components: { schemas } };
  const check = createValidatorSet(forDirection(document, "response")).check(`/components/schemas/${name}`);
  const make = () => generateValue({ schema: schemas[name], deref: createDeref(document), direction: "response", check, seed: name });
  const { value, faults } = make();
  expect(faults).toEqual([]);
  expect(make().value).toEqual(value);
  return value as any;
}

describe("generated mock values", () => {
  it("honour formats, SDK-decodable ones included", () => {
    const value = generated(
      {
        Price: {
          type: "object",
          properties: {
            amount: { type: "string", format: "decimal" },
            created: { type: "integer", format: "unix-time" },
            at: { type: "string", format: "date-time" },
            day: { type: "string", format: "date" },
            time: { type: "string", format: "time" },
            id: { type: "string", format: "uuid" },
            email: { type: "string", format: "email" },
            site: { type: "string", format: "uri" },
            host: { type: "string", format: "hostname" },
            v4: { type: "string", format: "ipv4" },
            v6: { type: "string", format: "ipv6" },
            big: { type: "string", format: "int64" },
            count: { type: "integer", format: "int32", minimum: 5 },
          },
        },
      },
      "Price",
    );
    expect(value).toEqual({
      amount: "12.50",
      created: 1700000000,
      at: "2024-01-15T09:30:00Z",
      day: "2024-01-15",
      time: "09:30:00Z",
      id: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      email: "user@example.com",
      site: "https://example.com/",
      host: "example.com",
      v4: "192.0.2.1",
      v6: "2001:db8::0",
      big: "1234567890",
      count: 5,
    });
  });

  it("honour patterns, enums, const, bounds and lengths", () => {
    const value = generated(
      {
        Account: {
          type: "object",
          required: ["sid", "status", "kind", "ratio", "tags", "code"],
          properties: {
            sid: { type: "string", pattern: "^AC[0-9a-fA-F]{32}$" },
            status: { type: "string", enum: ["active", "closed"] },
            kind: { const: "account" },
            ratio: { type: "number", exclusiveMinimum: 0, maximum: 1, multipleOf: 0.25 },
            tags: { type: "array", minItems: 3, uniqueItems: true, items: { type: "string", enum: ["a", "b", "c", "d"] } },
            code: { type: "string", minLength: 10, maxLength: 12 },
            short: { type: "string", maxLength: 3 },
          },
        },
      },
      "Account",
    );
    expect(value.sid).toMatch(/^AC[0-9a-fA-F]{32}$/);
    expect(value).toMatchObject({ status: "active", kind: "account", ratio: 0.25, tags: ["a", "b", "c"], short: "str" });
    expect(value.code).toHaveLength(10);
  });

  it("pick a discriminator's mapping and set its property; include readOnly, leave writeOnly out", () => {
    const value = generated(
      {
        Pet: {
          oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }],
          discriminator: { propertyName: "kind", mapping: { dog: "#/components/schemas/Dog", cat: "#/components/schemas/Cat" } },
        },
        Cat: {
          type: "object",
          required: ["kind", "id"],
          additionalProperties: false,
          properties: { kind: { type: "string" }, id: { type: "integer", readOnly: true }, claws: { type: "boolean" } },
        },
        Dog: {
          type: "object",
          required: ["kind", "id", "secret"],
          additionalProperties: false,
          properties: {
            kind: { type: "string" },
            id: { type: "integer", readOnly: true },
            barks: { type: "boolean" },
            secret: { type: "string", writeOnly: true },
          },
        },
      },
      "Pet",
    );
    expect(value).toEqual({ kind: "dog", id: 0, barks: true });
  });

  it("stop at recursion, and try again where the validator refuses (an enum beside a oneOf of consts)", () => {
    const value = generated(
      {
        Node: {
          type: "object",
          required: ["name"],
          properties: {
            name: { type: "string" },
            children: { type: "array", items: { $ref: "#/components/schemas/Node" } },
            parent: { $ref: "#/components/schemas/Node" },
          },
        },
        Event: { type: "string", enum: ["B_HAPPENED"], allOf: [{ oneOf: [{ const: "A_HAPPENED" }, { const: "B_HAPPENED" }] }] },
        Both: {
          type: "object",
          required: ["tree", "event"],
          properties: { tree: { $ref: "#/components/schemas/Node" }, event: { $ref: "#/components/schemas/Event" } },
        },
      },
      "Both",
    );
    expect(value).toEqual({ tree: { name: "string", children: [] }, event: "B_HAPPENED" });
  });
});

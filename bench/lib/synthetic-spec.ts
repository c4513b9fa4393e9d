/**
 * @module
 * A synthetic OpenAPI 3.1 document of any size, shaped like a real API: resources
 * with collection, item and sub-item paths, path and query parameters, request
 * bodies, and component schemas every resource shares.
 */

const NOUNS = [
  "account",
  "invoice",
  "customer",
  "order",
  "product",
  "shipment",
  "payment",
  "refund",
  "coupon",
  "review",
  "ticket",
  "report",
  "webhook",
  "team",
  "project",
];

/** Operations each resource declares; a document has `operations / OPERATIONS_PER_RESOURCE` resources. */
export const OPERATIONS_PER_RESOURCE = 10;

function resourceName(index: number): { plural: string; schema: string } {
  const noun = NOUNS[index % NOUNS.length];
  const generation = Math.floor(index / NOUNS.length);
  const base = generation === 0 ? noun : `${noun}-${generation}`;
  const schema = base.replace(/(^|-)(\w)/g, (_, __, letter: string) => letter.toUpperCase());
  return { plural: `${base}s`, schema };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const ok = (schema: object) => ({
  "200": { description: "OK", ...json(schema) },
  default: { description: "Error", content: { "application/problem+json": { schema: ref("Problem") } } },
});
const idParameter = (name: string) => ({ name, in: "path", required: true, schema: { type: "string", pattern: "^[a-z0-9_-]{1,64}$" } });
const pageParameters = [{ $ref: "#/components/parameters/Limit" }, { $ref: "#/components/parameters/Cursor" }];

const sharedSchemas = {
  Money: {
    type: "object",
    required: ["amount", "currency"],
    properties: { amount: { type: "integer", minimum: 0 }, currency: { type: "string", pattern: "^[A-Z]{3}$" } },
  },
  Address: {
    type: "object",
    required: ["line1", "country"],
    properties: {
      line1: { type: "string", maxLength: 200 },
      line2: { type: "string", maxLength: 200 },
      city: { type: "string" },
      postalCode: { type: "string" },
      country: { type: "string", pattern: "^[A-Z]{2}$" },
    },
  },
  Metadata: { type: "object", maxProperties: 50, additionalProperties: { type: "string", maxLength: 500 } },
  Page: { type: "object", required: ["hasMore"], properties: { hasMore: { type: "boolean" }, nextCursor: { type: ["string", "null"] } } },
  LineItem: {
    type: "object",
    required: ["id", "quantity", "price"],
    properties: { id: { type: "string" }, quantity: { type: "integer", minimum: 1 }, price: ref("Money"), description: { type: "string" } },
  },
  LineItemInput: {
    type: "object",
    required: ["quantity", "price"],
    additionalProperties: false,
    properties: { quantity: { type: "integer", minimum: 1 }, price: ref("Money"), description: { type: "string" } },
  },
  Problem: {
    type: "object",
    required: ["type", "title", "status"],
    properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, detail: { type: "string" } },
  },
};

function resourceSchemas(schema: string) {
  return {
    [schema]: {
      type: "object",
      required: ["id", "name", "status", "createdAt"],
      properties: {
        id: { type: "string" },
        name: { type: "string", minLength: 1, maxLength: 120 },
        status: { type: "string", enum: ["draft", "active", "archived"] },
        email: { type: "string", format: "email" },
        total: ref("Money"),
        address: ref("Address"),
        metadata: ref("Metadata"),
        createdAt: { type: "string", format: "date-time" },
      },
    },
    [`${schema}Input`]: {
      type: "object",
      required: ["name"],
      additionalProperties: false,
      properties: {
        name: { type: "string", minLength: 1, maxLength: 120 },
        email: { type: "string", format: "email" },
        address: ref("Address"),
        metadata: ref("Metadata"),
      },
    },
  };
}

function resourcePaths(plural: string, schema: string) {
  const list = (items: object) => ok({ type: "object", required: ["data", "page"], properties: { data: { type: "array", items }, page: ref("Page") } });
  const base = `/v1/${plural}`;
  return {
    [base]: {
      get: {
        operationId: `list-${plural}`,
        parameters: [...pageParameters, { name: "status", in: "query", schema: { type: "string", enum: ["draft", "active", "archived"] } }],
        responses: list(ref(schema)),
      },
      post: { operationId: `create-${plural}`, requestBody: { required: true, ...json(ref(`${schema}Input`)) }, responses: ok(ref(schema)) },
    },
    [`${base}/search`]: {
      get: {
        operationId: `search-${plural}`,
        parameters: [{ name: "q", in: "query", required: true, schema: { type: "string", minLength: 1 } }, ...pageParameters],
        responses: list(ref(schema)),
      },
    },
    [`${base}/{id}`]: {
      parameters: [idParameter("id")],
      get: { operationId: `get-${plural}`, responses: ok(ref(schema)) },
      patch: { operationId: `update-${plural}`, requestBody: { required: true, ...json(ref(`${schema}Input`)) }, responses: ok(ref(schema)) },
      delete: { operationId: `delete-${plural}`, responses: ok(ref(schema)) },
    },
    [`${base}/{id}/items`]: {
      parameters: [idParameter("id")],
      get: { operationId: `list-${plural}-items`, parameters: pageParameters, responses: list(ref("LineItem")) },
      post: { operationId: `add-${plural}-item`, requestBody: { required: true, ...json(ref("LineItemInput")) }, responses: ok(ref("LineItem")) },
    },
    [`${base}/{id}/items/{itemId}`]: {
      parameters: [idParameter("id"), idParameter("itemId")],
      get: { operationId: `get-${plural}-item`, responses: ok(ref("LineItem")) },
      delete: { operationId: `remove-${plural}-item`, responses: ok(ref("LineItem")) },
    },
  };
}

/** A document of `operations` operations (a multiple of OPERATIONS_PER_RESOURCE), and the path of its last templated route. */
export function syntheticSpec(operations: number): { document: object; lastRoute: string } {
  const resources = Math.max(1, Math.round(operations / OPERATIONS_PER_RESOURCE));
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = { ...sharedSchemas };
  let lastRoute = "";
  for (let index = 0; index < resources; index++) {
    const { plural, schema } = resourceName(index);
    Object.assign(paths, resourcePaths(plural, schema));
    Object.assign(schemas, resourceSchemas(schema));
    lastRoute = `/v1/${plural}/ord_123/items/item_456`;
  }
  const document = {
    openapi: "3.1.0",
    info: { title: `Synthetic API, ${resources * OPERATIONS_PER_RESOURCE} operations`, version: "1.0.0" },
    paths,
    components: {
      schemas,
      parameters: {
        Limit: { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
        Cursor: { name: "cursor", in: "query", schema: { type: "string" } },
      },
    },
  };
  return { document, lastRoute };
}

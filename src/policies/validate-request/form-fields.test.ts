import { describe, expect, it } from "vitest";
import { type FieldEncoding, type FormRule, readForm } from "./form-fields.ts";
import { DEFAULT_FORM_LIMITS, FormError, type FormLimits } from "./form-tree.ts";
import type { Coercion } from "./parameters.ts";
import { URLENCODED, urlencodedFields } from "./urlencoded.ts";

const text: Coercion = { types: ["string"] };
const integer: Coercion = { types: ["integer"] };
const list = (items: Coercion): Coercion => ({ types: ["array"], items });
const object = (properties: Record<string, Coercion>, additional?: Coercion): Coercion => ({
  types: ["object"],
  properties,
  ...(additional ? { additional } : {}),
});
/** Stripe's way of letting a field be cleared: anyOf [the object, enum [""]]. */
const orEmpty = (coercion: Coercion): Coercion => ({ ...coercion, types: [...coercion.types, "string"] });
const deepObject: FieldEncoding = { style: "deepObject", explode: true };

/** The body schema of Stripe's POST /v1/customers, the parts these tests use. */
const customer: Coercion = object({
  email: text,
  balance: integer,
  metadata: orEmpty({ types: ["object"], additional: text }),
  address: orEmpty(object({ city: text, country: text, line1: text })),
  expand: list(text),
  preferred_locales: list(text),
});
const stripeCustomer: FormRule = {
  coerce: customer,
  encoding: { metadata: deepObject, address: deepObject, expand: deepObject, preferred_locales: deepObject },
};

/** POST /v1/checkout/sessions: arrays of objects, four levels deep. */
const checkout: FormRule = {
  coerce: object({
    mode: text,
    line_items: list(
      object({
        quantity: integer,
        price: text,
        price_data: object({ currency: text, unit_amount: integer, product_data: object({ name: text, metadata: { types: ["object"], additional: text } }) }),
      }),
    ),
  }),
};

function read(body: string, rule: FormRule, limits: FormLimits = DEFAULT_FORM_LIMITS): unknown {
  try {
    return readForm(urlencodedFields(body, limits.maxKeys), rule, URLENCODED, limits);
  } catch (error) {
    if (error instanceof FormError) return { pointer: error.pointer, message: error.message };
    throw error;
  }
}

describe("form bodies as SDKs send them", () => {
  it("reads Stripe's customer body, bracketed members and indexed arrays included", () => {
    const value = read("email=a%40b.co&metadata[plan]=pro&address[city]=Cork&expand[0]=tax&balance=-50", stripeCustomer);
    expect(value).toEqual({ email: "a@b.co", metadata: { plan: "pro" }, address: { city: "Cork" }, expand: ["tax"], balance: -50 });
  });

  it("reads the same where the document has no encoding entry: brackets nest for any property", () => {
    const bare: FormRule = { coerce: customer };
    expect(read("metadata[plan]=pro&address[city]=Cork&expand[0]=tax&expand[1]=customer", bare)).toEqual({
      metadata: { plan: "pro" },
      address: { city: "Cork" },
      expand: ["tax", "customer"],
    });
  });

  it("takes encoded and literal brackets as the same field", () => {
    const literal = read("metadata[plan]=pro&expand[0]=tax", stripeCustomer);
    expect(read("metadata%5Bplan%5D=pro&expand%5B0%5D=tax", stripeCustomer)).toEqual(literal);
    expect(read("metadata%5bplan%5d=pro&expand[0%5D=tax", stripeCustomer)).toEqual(literal);
  });

  it("nests arrays of objects as deep as Checkout's line items", () => {
    const body = [
      "mode=payment",
      "line_items[0][price_data][product_data][name]=T-shirt",
      "line_items[0][price_data][product_data][metadata][sku]=TS-1",
      "line_items[0][price_data][unit_amount]=2000",
      "line_items[0][price_data][currency]=eur",
      "line_items[0][quantity]=1",
      "line_items[1][price]=price_123",
      "line_items[1][quantity]=3",
    ].join("&");
    expect(read(body, checkout)).toEqual({
      mode: "payment",
      line_items: [
        { price_data: { product_data: { name: "T-shirt", metadata: { sku: "TS-1" } }, unit_amount: 2000, currency: "eur" }, quantity: 1 },
        { price: "price_123", quantity: 3 },
      ],
    });
  });

  it("reads arrays of strings indexed, with empty brackets and as repeated names", () => {
    const webhook: FormRule = { coerce: object({ url: text, enabled_events: list(text) }) };
    const want = { enabled_events: ["charge.succeeded", "charge.failed"] };
    expect(read("enabled_events[0]=charge.succeeded&enabled_events[1]=charge.failed", webhook)).toEqual(want);
    expect(read("enabled_events[]=charge.succeeded&enabled_events[]=charge.failed", webhook)).toEqual(want);
    expect(read("enabled_events=charge.succeeded&enabled_events=charge.failed", webhook)).toEqual(want);
    expect(read("enabled_events=charge.succeeded", webhook)).toEqual({ enabled_events: ["charge.succeeded"] });
    // Sparse indexes close up, in index order.
    expect(read("enabled_events[7]=b&enabled_events[2]=a", webhook)).toEqual({ enabled_events: ["a", "b"] });
  });

  it("keeps the empty value Stripe sends to clear a field, and numbered keys of a map as names", () => {
    expect(read("metadata=&address=&preferred_locales=", stripeCustomer)).toEqual({ metadata: "", address: "", preferred_locales: [""] });
    expect(read("metadata[0]=zero&metadata[1]=one", stripeCustomer)).toEqual({ metadata: { 0: "zero", 1: "one" } });
  });

  it("coerces strictly, as query parameters are: 01 and 1e3 stay strings for an integer", () => {
    const rule: FormRule = { coerce: object({ n: integer, x: { types: ["number"] }, on: { types: ["boolean"] }, none: { types: ["null"] } }) };
    expect(read("n=01&x=1.5&on=true&none=", rule)).toEqual({ n: "01", x: 1.5, on: true, none: null });
    expect(read("n=1e3&on=TRUE", rule)).toEqual({ n: "1e3", on: "TRUE" });
    expect(read("n=-7&x=1e3", rule)).toEqual({ n: -7, x: 1000 });
  });

  it("reads an object property's JSON text, OpenAPI's default contentType for objects", () => {
    const rule: FormRule = { coerce: object({ meta: object({ a: integer }) }) };
    expect(read(`meta=${encodeURIComponent('{"a":1}')}`, rule)).toEqual({ meta: { a: 1 } });
    expect(read("meta={broken", rule)).toEqual({ meta: "{broken" });
    const declared: FormRule = { coerce: object({ doc: list(integer) }), encoding: { doc: { style: "form", explode: true, json: true } } };
    expect(read(`doc=${encodeURIComponent("[1,2]")}`, declared)).toEqual({ doc: [1, 2] });
    expect(read("doc=[1", declared)).toEqual({ pointer: "/doc", message: "is not valid JSON" });
  });
});

describe("the Encoding Object's styles", () => {
  const colors: Coercion = object({ tags: list(text), color: object({ R: integer, G: integer }), n: integer });

  it("form without explode: one comma-separated value; an encoded comma is data", () => {
    const rule: FormRule = { coerce: colors, encoding: { tags: { style: "form", explode: false }, color: { style: "form", explode: false } } };
    expect(read("tags=a,b&color=R,100,G,200", rule)).toEqual({ tags: ["a", "b"], color: { R: 100, G: 200 } });
    expect(read("tags=a%2Cb", rule)).toEqual({ tags: ["a,b"] });
    expect(read("tags=", rule)).toEqual({ tags: [] });
    expect(read("tags=a&tags=b", rule)).toEqual({ pointer: "/tags", message: "is given 2 times; it takes one value" });
    expect(read("color=R,100,G", rule)).toEqual({ pointer: "/color", message: "must list names and values in pairs, as R,100,G,200" });
    // Brackets do not nest into a property that takes one delimited value: the name stays whole.
    expect(read("tags[0]=a", rule)).toEqual({ "tags[0]": "a" });
  });

  it("form with explode: repeated names for arrays, an object's members at the top level", () => {
    const rule: FormRule = {
      coerce: colors,
      encoding: { tags: { style: "form", explode: true }, color: { style: "form", explode: true } },
      members: { R: "color", G: "color" },
    };
    expect(read("tags=a&tags=b&R=100&G=200&n=1", rule)).toEqual({ tags: ["a", "b"], color: { R: 100, G: 200 }, n: 1 });
  });

  it("pipeDelimited and spaceDelimited, the delimiter literal or encoded", () => {
    const pipes: FormRule = { coerce: colors, encoding: { tags: { style: "pipeDelimited", explode: false } } };
    expect(read("tags=a|b", pipes)).toEqual({ tags: ["a", "b"] });
    expect(read("tags=a%7Cb%7cc", pipes)).toEqual({ tags: ["a", "b", "c"] });
    const spaces: FormRule = {
      coerce: colors,
      encoding: { tags: { style: "spaceDelimited", explode: false }, color: { style: "spaceDelimited", explode: false } },
    };
    expect(read("tags=a+b%20c&color=R%20100%20G%20200", spaces)).toEqual({ tags: ["a", "b", "c"], color: { R: 100, G: 200 } });
  });

  it("deepObject: members and nested arrays of objects", () => {
    const rule: FormRule = { coerce: object({ filter: object({ tags: list(object({ name: text, weight: integer })) }) }), encoding: { filter: deepObject } };
    expect(read("filter[tags][0][name]=a&filter[tags][0][weight]=2&filter[tags][1][name]=b", rule)).toEqual({
      filter: { tags: [{ name: "a", weight: 2 }, { name: "b" }] },
    });
  });
});

describe("bounds and refusals, each with a pointer", () => {
  it("refuses a name nested deeper than maxDepth, after reading no more than that", () => {
    expect(read(`a${"[x]".repeat(32)}=1`, { coerce: object({}) })).toMatchObject({ a: {} });
    expect(read(`a${"[x]".repeat(33)}=1`, { coerce: object({}) })).toEqual({ pointer: "/a", message: "nests deeper than 32 levels" });
    expect(read(`a${"[x]".repeat(200_000)}=1`, { coerce: object({}) })).toEqual({ pointer: "/a", message: "nests deeper than 32 levels" });
    expect(read("a[x][y][z]=1", { coerce: object({}) }, { ...DEFAULT_FORM_LIMITS, maxDepth: 2 })).toEqual({
      pointer: "/a",
      message: "nests deeper than 2 levels",
    });
  });

  it("refuses an index over maxIndex at once, however large", () => {
    const rule: FormRule = { coerce: object({ a: list(text) }) };
    expect(read("a[999999999]=1", rule)).toEqual({ pointer: "/a", message: "has an array index over the limit of 1000 (999999999)" });
    expect(read(`a[${"9".repeat(5000)}]=1`, rule)).toMatchObject({ pointer: "/a" });
    expect(read("a[0][b][1001]=1", { coerce: object({}) })).toEqual({ pointer: "/a/0/b", message: "has an array index over the limit of 1000 (1001)" });
    expect(read("a[1000]=1", rule)).toEqual({ a: ["1"] });
    expect(read(Array.from({ length: 1002 }, () => "a[]=1").join("&"), rule, { ...DEFAULT_FORM_LIMITS, maxKeys: 2000 })).toEqual({
      pointer: "/a",
      message: "has an array index over the limit of 1000",
    });
    expect(read("a[3]=1", rule, { ...DEFAULT_FORM_LIMITS, maxIndex: 2 })).toMatchObject({ pointer: "/a" });
  });

  it("refuses more than maxKeys fields", () => {
    const body = Array.from({ length: 1001 }, (_, i) => `f${i}=1`).join("&");
    expect(read(body, { coerce: object({}) })).toEqual({ pointer: "", message: "The body has more than 1000 fields." });
    expect(read("a=1&b=2&c=3", { coerce: object({}) }, { ...DEFAULT_FORM_LIMITS, maxKeys: 2 })).toMatchObject({ pointer: "" });
    // Empty pairs are no fields.
    expect(read("a=1&&&b=2&", { coerce: object({}) }, { ...DEFAULT_FORM_LIMITS, maxKeys: 2 })).toEqual({ a: "1", b: "2" });
  });

  it("refuses bad percent-encoding in a name or a value, and a value given twice where one is taken", () => {
    expect(read("a=%zz", { coerce: object({}) })).toEqual({ pointer: "/a", message: "has invalid percent-encoding" });
    expect(read("a[b]=%E0%A4%A", { coerce: object({}) })).toEqual({ pointer: "/a", message: "has invalid percent-encoding" });
    expect(read("%ff=1", { coerce: object({}) })).toEqual({ pointer: "", message: 'The field name "%ff" has invalid percent-encoding.' });
    expect(read("email=a&email=b", stripeCustomer)).toEqual({ pointer: "/email", message: "is given more than once; it takes one value" });
  });

  it("refuses a value and members at one place, and indexes mixed with names", () => {
    expect(read("metadata=&metadata[plan]=pro", stripeCustomer)).toEqual({ pointer: "/metadata", message: "is given both a value and members" });
    expect(read("x[0]=a&x[b]=c", { coerce: object({}) })).toEqual({ pointer: "/x", message: "mixes array indexes and member names" });
    expect(read("x[b]=c&x[0]=a", { coerce: object({}) })).toEqual({ pointer: "/x", message: "mixes array indexes and member names" });
  });

  it("keeps names of other shapes whole", () => {
    expect(read("a[b=1&a]b[=2&[c]=3&d[e]f=4&g[h][=5", { coerce: object({}) })).toEqual({ "a[b": "1", "a]b[": "2", "[c]": "3", "d[e]f": "4", "g[h][": "5" });
    // A declared name with brackets in it is that property.
    expect(read("filter[status]=open", { coerce: object({ "filter[status]": text }) })).toEqual({ "filter[status]": "open" });
  });
});

describe("hostile names never touch a prototype", () => {
  it("keeps __proto__, constructor and prototype as data, at any depth", () => {
    const body = "__proto__[polluted]=1&constructor[prototype][polluted]=1&a[__proto__][polluted]=1&b[0][__proto__][polluted]=1&toString=y";
    const value = read(body, { coerce: object({}) }) as Record<string, any>;
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.getPrototypeOf(value)).toBeNull();
    expect(Object.keys(value)).toEqual(["__proto__", "constructor", "a", "b", "toString"]);
    expect(Object.getPrototypeOf(value.__proto__)).toBeNull();
    expect(value.__proto__.polluted).toBe("1");
    expect(value.constructor.prototype.polluted).toBe("1");
    expect(Object.keys(value.a)).toEqual(["__proto__"]);
    expect(value.b[0].__proto__.polluted).toBe("1");
    expect(value.toString).toBe("y");
    const flat = read("__proto__=x&__proto__=y&constructor=z", { coerce: object({}) }) as Record<string, any>;
    expect(Object.getPrototypeOf(flat)).toBeNull();
    expect(flat.__proto__).toEqual(["x", "y"]);
    expect(flat.constructor).toBe("z");
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});

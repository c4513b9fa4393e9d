/**
 * The official Stripe SDK for Node (pinned at 13.5.0, the last release before
 * the document's date, for API version 2023-08-16) against Portico serving
 * Stripe's own document (test/fixtures/stripe: spec3.yaml trimmed to the
 * operations called here) with the mock handler and request validation on.
 *
 * The SDK writes bodies and queries with qs: `metadata[plan]=pro`,
 * `line_items[0][price_data][product_data][name]=…`, `expand[0]=tax`. Every
 * call of a typical integration must be admitted and its mocked answer parsed.
 *
 * The gateway is compiled into test/.generated/stripe, bundled by wrangler
 * and served by workerd through Miniflare on 127.0.0.1, as the bench serves
 * its gateway (bench/lib). The document's security is HTTP basic or bearer;
 * bearer tokens are JWTs to Portico, so the SDK's secret key is sent as the
 * password of a consumer stored in KV.
 */
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import { CONSUMER, serveDocument, type SdkGateway } from "../support/sdk-gateway.ts";

/** A consumer key in Portico's format, which the SDK sends as its secret key. */
const API_KEY = generateApiKey();

let gateway: SdkGateway | undefined;
let stripe: Stripe;

beforeAll(async () => {
  gateway = await serveDocument("stripe", "stripe/spec3.trimmed.yaml.gz", "openapi.yaml", API_KEY);
  const { served, answers } = gateway;

  // The SDK always sends `Authorization: Bearer <key>`; the same key goes as the consumer's basic credential.
  const node = Stripe.createNodeHttpClient();
  const basic = `Basic ${Buffer.from(`${CONSUMER}:${API_KEY}`).toString("base64")}`;
  const httpClient = Object.assign(Object.create(node) as typeof node, {
    makeRequest: (...args: Parameters<typeof node.makeRequest>) => {
      args[4] = { ...args[4], Authorization: basic };
      return node.makeRequest(...args);
    },
  });
  stripe = new Stripe(API_KEY, {
    apiVersion: "2023-08-16",
    host: "127.0.0.1",
    port: Number(served.url.port),
    protocol: "http",
    httpClient,
    maxNetworkRetries: 0,
  });
  // A refusal is not a Stripe-shaped error, so the SDK may not throw on it: the status tells.
  stripe.on("response", (event) => answers.push({ method: event.method, path: event.path, status: event.status }));
}, 180_000);

afterAll(async () => {
  await gateway?.close();
});

const admitted = <T>(call: () => Promise<T>) => gateway!.admitted(call);

describe("the Stripe SDK against Stripe's document, validated", () => {
  it("creates a customer with metadata, an address, locales and expand", async () => {
    const customer = await admitted(() =>
      stripe.customers.create({
        email: "a@b.co",
        name: "Ada Lovelace",
        metadata: { plan: "pro", seats: "5" },
        address: { line1: "1 Main St", city: "Cork", country: "IE", postal_code: "T12" },
        preferred_locales: ["en", "ga"],
        invoice_settings: { custom_fields: [{ name: "PO", value: "42" }] },
        tax: { ip_address: "203.0.113.9" },
        expand: ["tax"],
      }),
    );
    expect(customer.object).toBe("customer");
  });

  it("creates a product, and a price with nested recurring", async () => {
    const product = await admitted(() =>
      stripe.products.create({ name: "T-shirt", metadata: { sku: "TS-1" }, default_price_data: { currency: "eur", unit_amount: 2000 } }),
    );
    expect(product.object).toBe("product");
    const price = await admitted(() =>
      stripe.prices.create({
        product: "prod_123",
        currency: "eur",
        unit_amount: 2000,
        recurring: { interval: "month", interval_count: 1 },
        tax_behavior: "exclusive",
        lookup_key: "tee-monthly",
      }),
    );
    expect(price.object).toBe("price");
  });

  it("creates a checkout session whose line items carry price_data and product_data", async () => {
    const session = await admitted(() =>
      stripe.checkout.sessions.create({
        mode: "payment",
        success_url: "https://shop.example/ok",
        cancel_url: "https://shop.example/cancel",
        payment_method_types: ["card"],
        line_items: [
          { price_data: { currency: "eur", unit_amount: 2000, product_data: { name: "T-shirt", metadata: { sku: "TS-1" } } }, quantity: 2 },
          { price: "price_123", quantity: 1, adjustable_quantity: { enabled: true, minimum: 1, maximum: 5 } },
        ],
        metadata: { order: "o-1" },
        allow_promotion_codes: true,
      }),
    );
    expect(session.object).toBe("checkout.session");
  });

  it("creates a webhook endpoint with enabled_events", async () => {
    const endpoint = await admitted(() =>
      stripe.webhookEndpoints.create({
        url: "https://shop.example/hooks",
        enabled_events: ["charge.succeeded", "charge.failed", "customer.created"],
        metadata: { env: "test" },
      }),
    );
    expect(endpoint.object).toBe("webhook_endpoint");
  });

  it("lists customers with filters and expand, then the next page with starting_after", async () => {
    const page = await admitted(() =>
      stripe.customers.list({ email: "a@b.co", limit: 3, created: { gte: 1_690_000_000, lt: 1_700_000_000 }, expand: ["data.tax", "data.default_source"] }),
    );
    expect(page.object).toBe("list");
    expect(Array.isArray(page.data)).toBe(true);
    const next = await admitted(() => stripe.customers.list({ limit: 3, starting_after: page.data.at(-1)?.id ?? "cus_123" }));
    expect(next.object).toBe("list");
  });

  it("retrieves, updates and deletes a customer", async () => {
    expect((await admitted(() => stripe.customers.retrieve("cus_123", { expand: ["tax", "invoice_settings.default_payment_method"] }))).object).toBe(
      "customer",
    );
    const updated = await admitted(() =>
      stripe.customers.update("cus_123", { metadata: { plan: "" }, address: { city: "Galway" }, invoice_settings: { default_payment_method: "pm_1" } }),
    );
    expect(updated.object).toBe("customer");
    const deleted = await admitted(() => stripe.customers.del("cus_123"));
    expect(deleted.deleted).toBeTypeOf("boolean");
  });

  it("still refuses what the document does not take, naming the field", async () => {
    const before = gateway!.answers.length;
    await stripe.customers.create({ metadata: { plan: "pro" }, balance: "lots" } as unknown as Stripe.CustomerCreateParams).catch((error: unknown) => error);
    expect(gateway!.answers.splice(before).map((answer) => answer.status)).toEqual([400]);
    const response = await fetch(new URL("/v1/customers", gateway!.served.url), {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${CONSUMER}:${API_KEY}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "address[town]=Cork&balance=lots&expand[5000]=tax",
    });
    const problem = (await response.json()) as { errors: Array<{ pointer: string; message: string }> };
    expect(problem.errors).toEqual([{ in: "body", pointer: "/expand", message: "has an array index over the limit of 1000 (5000)" }]);
    const typed = await fetch(new URL("/v1/customers", gateway!.served.url), {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${CONSUMER}:${API_KEY}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "metadata[plan]=pro&balance=lots&tax_exempt=maybe&invoice_settings[custom_fields][0][name]=PO",
    });
    const pointers = ((await typed.json()) as { errors: Array<{ pointer: string }> }).errors.map((error) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(["/balance", "/tax_exempt", "/invoice_settings/custom_fields/0/value"]));
  });

  it("was refused nothing: no request of the SDK got a 400 or a 415", () => {
    expect(gateway!.answers.length).toBeGreaterThanOrEqual(10);
    expect(gateway!.answers.filter((answer) => answer.status >= 400)).toEqual([]);
  });
});

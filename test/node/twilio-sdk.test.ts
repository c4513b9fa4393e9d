/**
 * The official Twilio SDK for Node (pinned at 5.13.1, the last release before
 * the document's commit of 2026-04-14) against Portico serving Twilio's own
 * document for its 2010-04-01 API (test/fixtures/twilio:
 * twilio_api_v2010.json trimmed to the operations called here) with the mock
 * handler and request validation on.
 *
 * The SDK writes form-encoded bodies with PascalCase fields, lists as
 * repeated fields (`MediaUrl=…&MediaUrl=…`), and filters whose names carry an
 * operator (`DateSent>=…`, `StartTime<=…`). Every call of a typical
 * integration must be admitted and its mocked answer parsed.
 *
 * The gateway is compiled into test/.generated/twilio, bundled by wrangler
 * and served by workerd through Miniflare on 127.0.0.1, as the bench serves
 * its gateway (bench/lib). The document's security is HTTP basic; Portico
 * takes a consumer id as the user name and one of its keys as the password.
 * The SDK sends them as it sends an API key's SID and secret, with the
 * account's SID (which the paths carry) given apart.
 */
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import { CONSUMER, serveDocument, type SdkGateway } from "../support/sdk-gateway.ts";

/** A consumer key in Portico's format, which the SDK sends as its secret. */
const API_KEY = generateApiKey();
const ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";

let gateway: SdkGateway | undefined;
let client: twilio.Twilio;

beforeAll(async () => {
  gateway = await serveDocument("twilio", "twilio/twilio_api_v2010.trimmed.json.gz", "openapi.json", API_KEY);
  const { served, answers } = gateway;

  client = twilio(CONSUMER, API_KEY, { accountSid: ACCOUNT_SID, autoRetry: false });
  // Every request goes to the gateway instead of api.twilio.com, and its status is recorded whether or not the SDK throws.
  const request = client.request.bind(client);
  client.request = async (opts) => {
    const url = new URL(opts.uri ?? "");
    const method = opts.method ?? "";
    const uri = new URL(url.pathname + url.search, served.url).href;
    // The SDK passes a query as `params`, apart from the URI.
    const query = new URLSearchParams(opts.params as Record<string, string> | undefined).toString();
    const path = url.pathname + (query ? `?${query}` : url.search);
    try {
      const response = await request({ ...opts, uri });
      answers.push({ method, path, status: response.statusCode });
      return response;
    } catch (error) {
      answers.push({ method, path, status: 0 });
      throw error;
    }
  };
}, 180_000);

afterAll(async () => {
  await gateway?.close();
});

const admitted = <T>(call: () => Promise<T>) => gateway!.admitted(call);

describe("the Twilio SDK against Twilio's document, validated", () => {
  it("sends a message with a status callback and two media URLs", async () => {
    const message = await admitted(() =>
      client.messages.create({
        to: "+15558675310",
        from: "+15017122661",
        body: "Your order has shipped.",
        statusCallback: "https://shop.example/twilio/status",
        mediaUrl: ["https://shop.example/a.jpg", "https://shop.example/b.png"],
        provideFeedback: true,
        validityPeriod: 600,
      }),
    );
    expect(typeof message.sid).toBe("string");
  });

  it("lists messages sent after a date, to a number", async () => {
    const before = gateway!.answers.length;
    const page = await admitted(() => client.messages.page({ dateSentAfter: new Date("2026-01-01T00:00:00Z"), to: "+15558675310", pageSize: 20 }));
    expect(Array.isArray(page.instances)).toBe(true);
    expect(gateway!.answers[before].path).toContain("DateSent%3E=2026-01-01T00%3A00%3A00Z");
  });

  it("fetches a message", async () => {
    const message = await admitted(() => client.messages("SM0123456789abcdef0123456789abcdef").fetch());
    expect(typeof message.sid).toBe("string");
  });

  it("creates a call to a TwiML URL", async () => {
    const call = await admitted(() =>
      client.calls.create({
        url: "https://shop.example/twiml/voice.xml",
        to: "+15558675310",
        from: "+15017122661",
        statusCallback: "https://shop.example/twilio/call-status",
        statusCallbackEvent: ["initiated", "answered", "completed"],
        timeout: 30,
        record: true,
      }),
    );
    expect(typeof call.sid).toBe("string");
  });

  it("lists calls a page at a time", async () => {
    const page = await admitted(() =>
      client.calls.page({
        status: "completed",
        startTimeAfter: new Date("2026-01-01T00:00:00Z"),
        endTimeBefore: new Date("2026-02-01T00:00:00Z"),
        pageSize: 2,
      }),
    );
    expect(Array.isArray(page.instances)).toBe(true);
    // The next page as Twilio links it (the document's own example): Page, PageSize and PageToken in the query.
    const next = await admitted(() =>
      client.calls.getPage(
        `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Calls.json?Status=completed&PageSize=2&Page=1&PageToken=PACAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa`,
      ),
    );
    expect(Array.isArray(next.instances)).toBe(true);
  });

  // Known gap, of the mock and not of validation: `list()` walks the pages by `next_page_uri`. The document's examples
  // of list gateway!.answers carry Twilio's relative URIs (`/2010-04-01/Accounts/…/Calls.json?…&PageToken=…`), which break the
  // schema's `format: uri` (an absolute URI), so the mock serves a generated answer whose `next_page_uri` is
  // "https://example.com/"; the SDK follows it to GET /https://example.com, which the gateway gateway!.answers 404.
  it.fails("lists calls through every page with list()", async () => {
    const calls = await admitted(() => client.calls.list({ status: "completed", pageSize: 2, limit: 4 }));
    expect(Array.isArray(calls)).toBe(true);
  });

  it("still refuses what the document does not take, naming the field", async () => {
    const before = gateway!.answers.length;
    const error = await client.messages
      .create({ to: "+15558675310", from: "+15017122661", body: "Hi", validityPeriod: "a while" as unknown as number })
      .catch((caught: unknown) => caught);
    expect(gateway!.answers.splice(before).map((answer) => answer.status)).toEqual([400]);
    expect(error).toBeInstanceOf(twilio.RestException);
    expect((error as twilio.RestException).status).toBe(400);
    // Repeated fields are a list: each MediaUrl is checked as an item.
    const response = await fetch(new URL(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, gateway!.served.url), {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${CONSUMER}:${API_KEY}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "To=%2B15558675310&MediaUrl=https%3A%2F%2Fshop.example%2Fa.jpg&MediaUrl=not%20a%20URL&ValidityPeriod=soon",
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: Array<{ pointer: string }> };
    expect(problem.errors.map((entry) => entry.pointer)).toEqual(expect.arrayContaining(["/MediaUrl/1", "/ValidityPeriod"]));
  });

  it("was refused nothing else: the one 4xx is the mock's generated next page", () => {
    expect(gateway!.answers.length).toBeGreaterThanOrEqual(7);
    expect(gateway!.answers.filter((answer) => answer.status >= 400)).toEqual([{ method: "get", path: "/https://example.com", status: 404 }]);
  });
});

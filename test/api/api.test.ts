/**
 * Museum API, through the gateway. Each operation that the mock answers gets one valid
 * request (its required parameters and body, from the document's examples and schemas) and
 * must answer with the status the document gives it: its lowest 2xx, or 401 with
 * WWW-Authenticate where it takes credentials, as none are sent. It runs in workerd
 * against the gateway built from openapi/openapi.yaml, as `npm run dev` serves it, so it
 * fails when the gateway or the document breaks.
 *
 * `npx portico init` wrote this file from the document. After changing the document,
 * `npx portico init --tests` writes it again, replacing it: add rows to `cases` freely,
 * but keep tests of your own in other files of test/api/. A case's headers may ask the
 * mock for another documented answer: `prefer: "code=404"` or `prefer: "example=<name>"`.
 *
 * Operations marked needsCredentials are sent none. To call one with a key, store a
 * consumer with `storeConsumer({ id: "me" })` from test/support/consumers.ts, which
 * returns its key (as `npx portico keys create` does for `npm run dev`), and send the key
 * as the operation's security scheme says; docs/authentication.md describes consumers and
 * keys.
 *
 * Not covered (not answered by the mock, or no request to make):
 * - getTicketCode: GET /tickets/{ticketId}/qr (answered by ./policies/ticket-code.ts)
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

interface Case {
  operationId: string;
  method: string;
  url: string;
  status: number;
  headers?: Record<string, string>;
  /** A JSON body as its value, any other as its text. */
  body?: unknown;
  needsCredentials?: boolean;
}

const cases: Case[] = [
  { operationId: "listExhibits", method: "GET", url: "/v1/exhibits", status: 200 },
  {
    operationId: "createExhibit",
    method: "POST",
    url: "/v1/exhibits",
    status: 401,
    headers: { "content-type": "application/json" },
    body: { id: "ex-1003", title: "Glass Vase", gallery: "north", year: 1920, onShow: false },
    needsCredentials: true,
  },
  { operationId: "getFeaturedExhibit", method: "GET", url: "/v1/exhibits/featured", status: 200 },
  { operationId: "getExhibit", method: "GET", url: "/v1/exhibits/ex-1001", status: 200 },
  { operationId: "deleteExhibit", method: "DELETE", url: "/v1/exhibits/ex-1001", status: 401, needsCredentials: true },
  {
    operationId: "buyTicket",
    method: "POST",
    url: "/v1/tickets",
    status: 401,
    headers: { "content-type": "application/json" },
    body: { date: "2026-12-01", type: "adult" },
    needsCredentials: true,
  },
  { operationId: "getTicket", method: "GET", url: "/v1/tickets/string", status: 200 },
];

/** As the edge sends it: each case from an address of its own, so no two share a rate-limit bucket. */
function send({ method, url, headers, body }: Case, index: number): Promise<Response> {
  const request = new Request(new URL(url, "http://localhost:8787"), {
    method,
    headers: { "cf-connecting-ip": `2001:db8:a11::${(index + 1).toString(16)}`, ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  return exports.default.fetch(request);
}

describe("Museum API", () => {
  for (const [index, item] of cases.entries()) {
    it(`${item.operationId}: ${item.method} ${item.url} answers ${item.status}`, async () => {
      const response = await send(item, index);
      expect(response.status, await response.clone().text()).toBe(item.status);
      if (item.needsCredentials) expect(response.headers.get("www-authenticate")).toBeTruthy();
    });
  }
});

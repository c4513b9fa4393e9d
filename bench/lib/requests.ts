/**
 * @module
 * What the bench sends: one order, its query, and the credentials of each
 * variant, plus the short pass that proves each variant takes the path it claims.
 */
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { generateApiKey } from "../../src/policies/authenticate/key-format.ts";
import { expectReply, type Check } from "./checks.ts";
import type { Reply, RequestShape } from "./load.ts";

export const VARIANTS = ["plain", "auth", "validation", "auth+validation", "jwt"] as const;
export type Variant = (typeof VARIANTS)[number];

const PATHS: Record<Variant, string> = {
  plain: "/v1/plain/orders",
  auth: "/v1/auth/orders",
  validation: "/v1/validation/orders",
  "auth+validation": "/v1/auth-validation/orders",
  jwt: "/v1/jwt/orders",
};

const QUERY = "?notify=true&channel=web";

const ORDER = {
  reference: "ORD-204611",
  customer: { name: "Ada Lovelace", email: "ada@example.com", phone: "+44 20 7946 0958" },
  items: [
    { sku: "TICKET-ADULT", quantity: 2, unitPrice: 18.5 },
    { sku: "TICKET-CHILD", quantity: 1, unitPrice: 9 },
    { sku: "GUIDE-AUDIO", quantity: 3, unitPrice: 4.25 },
  ],
  currency: "EUR",
  total: 58.75,
  placedAt: "2026-11-26T10:15:30Z",
  giftWrap: false,
  note: "Please send the tickets by email.",
};

/** Wrong in four ways: an unknown property, a bad email, no items, a date that is not one. */
const BROKEN_ORDER = { ...ORDER, customer: { name: "Ada", email: "not-an-email" }, items: [], placedAt: "yesterday", coupon: "FREE" };

export interface Credentials {
  apiKey: string;
  token: string;
  jwtPublicKeyPem: string;
}

/** A fresh API key, and an RS256 key pair with a token signed by it, valid for an hour. */
export async function makeCredentials(): Promise<Credentials> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const token = await new SignJWT({ scope: "orders:write" })
    .setProtectedHeader({ alg: "RS256", typ: "JWT" })
    .setIssuer("https://issuer.bench/")
    .setAudience("orders")
    .setSubject("bench-user")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
  return { apiKey: generateApiKey(), token, jwtPublicKeyPem: await exportSPKI(publicKey) };
}

function credentialHeaders(variant: Variant, credentials: Credentials): Record<string, string> {
  if (variant === "auth" || variant === "auth+validation") return { "x-api-key": credentials.apiKey };
  if (variant === "jwt") return { authorization: `Bearer ${credentials.token}` };
  return {};
}

interface ShapeOptions {
  body?: unknown;
  query?: string;
  withCredentials?: boolean;
}

export function requestOf(variant: Variant, credentials: Credentials, options: ShapeOptions = {}): RequestShape {
  return {
    method: "POST",
    target: PATHS[variant] + (options.query ?? QUERY),
    headers: {
      host: "bench.example",
      "content-type": "application/json",
      accept: "application/json",
      ...(options.withCredentials === false ? {} : credentialHeaders(variant, credentials)),
    },
    body: JSON.stringify(options.body ?? ORDER),
  };
}

const needsCredentials = (variant: Variant) => variant !== "plain" && variant !== "validation";
const validates = (variant: Variant) => variant === "validation" || variant === "auth+validation";

const isReceipt = (reply: Reply) => /"status":"accepted"/.test(reply.body);
const listsErrors = (count: number) => (reply: Reply) => (JSON.parse(reply.body).errors ?? []).length >= count;
const isProblem = (reply: Reply) => typeof JSON.parse(reply.body).requestId === "string";

/** Every variant: a good request, a broken body, a bad query, and no credentials. */
export function checksFor(credentials: Credentials): Check[] {
  return VARIANTS.flatMap((variant): Check[] => {
    const broken = requestOf(variant, credentials, { body: BROKEN_ORDER });
    const badQuery = requestOf(variant, credentials, { query: "?notify=maybe&channel=fax" });
    const anonymous = requestOf(variant, credentials, { withCredentials: false });
    return [
      expectReply(variant, "valid request", requestOf(variant, credentials), 200, isReceipt),
      validates(variant)
        ? expectReply(variant, "invalid body", broken, 400, listsErrors(4))
        : expectReply(variant, "invalid body, not validated", broken, 200, isReceipt),
      validates(variant)
        ? expectReply(variant, "invalid query", badQuery, 400, listsErrors(2))
        : expectReply(variant, "invalid query, not validated", badQuery, 200, isReceipt),
      needsCredentials(variant)
        ? expectReply(variant, "no credentials", anonymous, 401, isProblem)
        : expectReply(variant, "no credentials, public", anonymous, 200, isReceipt),
    ];
  });
}

/**
 * @module
 * The Worker entry: the app `portico build` generated from openapi/ and
 * policies/, and the Durable Object classes its policies use.
 */
import gateway from "../.portico/app.ts";

export { QuotaCounter } from "./durable/quota-counter.ts";
export { RateLimiter } from "./durable/rate-limiter.ts";
export default gateway;

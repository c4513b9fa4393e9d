/**
 * @module
 * The Worker entry: the app `portico build` generated from openapi/ and
 * policies/, and the Durable Object classes of the built-ins (also generated,
 * from their descriptors).
 */
import gateway from "../.portico/app.ts";

export * from "../.portico/durable-objects.ts";
export default gateway;

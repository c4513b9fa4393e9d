/**
 * @module
 * The Worker entry: the app `portico build` generated from openapi/ and policies/.
 */
import gateway from "../.portico/app.ts";

export default gateway;

export { removeHeaders as default } from "./remove-headers.ts";

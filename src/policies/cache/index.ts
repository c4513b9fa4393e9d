export { cache as default } from "./cache.ts";

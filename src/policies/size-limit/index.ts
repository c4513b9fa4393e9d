export { sizeLimit as default } from "./size-limit.ts";

export { cors as default } from "./cors.ts";

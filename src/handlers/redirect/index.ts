export { redirect as default } from "./redirect.ts";

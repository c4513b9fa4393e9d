export { usage as default } from "./usage.ts";

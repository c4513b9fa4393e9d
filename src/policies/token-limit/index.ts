export { tokenLimit as default } from "./token-limit.ts";

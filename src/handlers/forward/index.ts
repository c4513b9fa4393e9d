export { forward as default } from "./forward.ts";

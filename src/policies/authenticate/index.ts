export { authenticate as default } from "./authenticate.ts";

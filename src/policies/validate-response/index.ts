export { validateResponse as default } from "./validate-response.ts";

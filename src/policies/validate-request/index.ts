export { validateRequest as default } from "./validate-request.ts";

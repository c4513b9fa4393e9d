export { requestId as default } from "./request-id.ts";

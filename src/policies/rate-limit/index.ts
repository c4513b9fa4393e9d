export { rateLimit as default } from "./rate-limit.ts";

export { quota as default } from "./quota.ts";

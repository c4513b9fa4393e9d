export { ipFilter as default } from "./ip-filter.ts";

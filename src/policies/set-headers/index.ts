export { setHeaders as default } from "./set-headers.ts";

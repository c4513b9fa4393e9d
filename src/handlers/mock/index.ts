export { mock as default } from "./mock.ts";

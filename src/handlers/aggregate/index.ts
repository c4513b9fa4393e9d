export { aggregate as default } from "./aggregate.ts";

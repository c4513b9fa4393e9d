export { llm as default } from "./llm.ts";

import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "size-limit",
  kind: "policy",
  summary: "Refuses request bodies, URLs and header sections larger than its limits, before they are read.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
});

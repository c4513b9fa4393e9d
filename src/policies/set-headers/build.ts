import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "set-headers",
  kind: "policy",
  summary: "Sets headers on the request (in inbound) or on the response (in outbound).",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound", "outbound"],
});

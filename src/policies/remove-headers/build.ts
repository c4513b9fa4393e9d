import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "remove-headers",
  kind: "policy",
  summary: "Removes headers from the request (in inbound) or from the response (in outbound).",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound", "outbound"],
});

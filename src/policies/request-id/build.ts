import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "request-id",
  kind: "policy",
  summary: "Adopts a well-formed incoming request id, passes it upstream and echoes it on every response under its header.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound", "finish"],
});

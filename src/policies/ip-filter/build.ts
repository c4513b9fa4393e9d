import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options } from "./options.ts";

export default describeBuiltin({
  name: "ip-filter",
  kind: "policy",
  summary: "Admits or refuses a request by the connecting client's address, against CIDR allow and deny lists.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["inbound"],
});

import { describeBuiltin } from "../../builtin-descriptor.ts";
import { options, type MockOptions, type MockPrepared } from "./options.ts";
import { prepareMock } from "./build-examples.ts";

export default describeBuiltin<MockOptions, MockPrepared>({
  name: "mock",
  kind: "handler",
  summary: "Answers from the operation's own examples (or ones generated from its schemas); Prefer: code=, example= choose.",
  runtime: new URL("./index.ts", import.meta.url),
  options,
  hooks: ["handle"],
  perOperation: true,
  prepare: (_use, { operation }) => {
    const { responses, notes } = prepareMock(operation!);
    return { prepared: { responses }, notes };
  },
});

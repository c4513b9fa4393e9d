import { runBuildContract } from "../../compiler/builtin.case.ts";

runBuildContract("redirect", {
  valid: { location: "https://docs.example.com/" },
  invalid: [{}, { location: "" }, { location: "https://docs.example.com/", status: 200 }, { location: "https://docs.example.com/", keepQuery: "yes" }],
});

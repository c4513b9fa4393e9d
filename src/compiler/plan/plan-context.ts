/**
 * @module
 * What planning the operations shares: the document and where its parts were
 * written, the policy resolver, the findings so far, the operationIds and
 * security schemes met, and the validator sets the generated app imports.
 */
import type { BuildError } from "../errors.ts";
import type { PolicyResolver } from "./policy-resolver.ts";
import type { SourceSet } from "../spec/sources.ts";
import type { ValidatorSet } from "../validators/validator-set.ts";
import type { SchemePlan } from "../../policies/authenticate/options.ts";

export interface PlanContext {
  document: Record<string, any>;
  sources: SourceSet;
  resolver: PolicyResolver;
  errors: BuildError[];
  warnings: BuildError[];
  seenOperationIds: Map<string, string>;
  /** Security schemes planned so far (undefined: broken, already reported). */
  schemePlans: Map<string, SchemePlan | undefined>;
  /** Every validator the generated app needs, compiled once each. */
  validators: ValidatorSet;
  /** The same for responses (validate-response): writeOnly, not readOnly, is left out of `required`. */
  responseValidators: ValidatorSet;
  /** What checks response values at build time (mock answers): responseValidators, or the request set when both read alike. */
  responseChecks?: ValidatorSet;
}

/**
 * @module
 * What stops `portico init` before it changes anything, in the three parts
 * every problem of the command has (what, where, how to fix).
 */
import type { Problem } from "../style.ts";

export class InitProblem extends Error implements Problem {
  readonly where: string;
  readonly hint: string;

  constructor(message: string, where: string, hint: string) {
    super(message);
    this.where = where;
    this.hint = hint;
  }
}

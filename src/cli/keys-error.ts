/**
 * @module
 * The failure of a `portico keys` command that the user can put right: what
 * went wrong, where, and what to do, printed instead of a stack trace.
 */

export class KeysError extends Error {
  where: string;
  fix: string;
  constructor(message: string, where: string, fix: string) {
    super(message);
    this.where = where;
    this.fix = fix;
  }
}

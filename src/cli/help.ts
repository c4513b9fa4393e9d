/**
 * @module
 * The help of every command: `portico --help`, `portico help <command>` and
 * `portico <command> --help`.
 */
import { CACHE_HELP } from "./cache.ts";
import { DEV_HELP } from "./dev.ts";
import { DOCTOR_HELP } from "./doctor.ts";
import { IMPORT_HELP } from "./import-zuplo/command.ts";
import { KEYS_HELP } from "./keys.ts";
import { MIGRATE_HELP } from "./migrate.ts";
import { NEW_HELP } from "./new.ts";
import { QUOTA_HELP } from "./quota.ts";
import { TAIL_HELP } from "./tail.ts";
import { USAGE_HELP } from "./usage.ts";

const INIT_HELP = `portico init — make the project yours

Usage: portico init [--from <path|url>] [--empty] [--upstream <url>] [--yes]
       portico init --tests

Replaces the example in openapi/, policies/ and portal/ with your API:

  --from <path>  your OpenAPI document (YAML or JSON), copied into openapi/ as
                 openapi.yaml or openapi.json, with the files its relative $refs
                 reach (which must sit in its folder or below)
  --from <url>   the same, fetched over http(s), its relative $refs too
  --empty        a new document with one operation, GET /hello
  (neither)      the document already in openapi/

A document without a root x-portico handler gets \`x-portico: { handler: mock }\`,
so every operation answers from its examples and schemas at once; with
\`--upstream <url>\`, \`{ handler: forward, upstream: <url> }\` instead, so every
operation without a handler of its own reaches the real service at its path. The example's
policies (those the document does not use) and its getting-started page go, the
portal takes the API's title, and test/api/api.test.ts is written: one valid
request per mocked operation, expecting the status the document gives it.
\`npm test\` runs it.

Everything is checked as \`portico check\` does before anything is written: a
document that does not build changes nothing, and each error is printed where
it stands in your file. On a terminal, init asks first; elsewhere it needs --yes.

Options:
  --upstream <url>  Forward operations to the real service at this base URL
  --yes             Do it without asking
  --tests           Only write test/api/api.test.ts again, from the document in openapi/
  --root <dir>      The project folder (default: the current folder)`;

export const HELP: Record<string, string> = {
  "": `portico — an OpenAPI-first API gateway on Cloudflare Workers

Usage: portico <command> [options]

Commands:
  init     Replace the example with your API (--from <path|url>, or --empty)
  import   Write a Portico project from a Zuplo project (import zuplo <dir>)
  new      Start a policy or handler of your own, with a passing test beside it (new policy|handler <name>)
  build    Compile openapi/ and policies/ into the Worker app in .portico/
  check    Validate the spec, x-portico, every policy's options and types; write nothing
  dev      Serve the gateway locally with wrangler dev, rebuilding on every change
  doctor   Check the project against this Portico: versions, wrangler.toml, deprecated keys
  migrate  Apply what an upgrade changes (deprecated keys, a fork onto the package)
  keys     Create, list, revoke and rotate the API keys of consumers
  quota    Show what a consumer has used of its quotas, asking the running gateway
  cache    Purge the cached answers of a route or tag (cache purge --route | --tag)
  usage    Requests, statuses, latency and bytes per operation, status, day or consumer
  tail     Follow the deployed gateway's requests, one readable line each (wrangler tail)
  reference  Print the x-portico reference (Markdown), from the schemas the build checks
  help     Show help for a command

Options:
  --root <dir>   The project folder (default: the current folder)
  --spec <file>  The OpenAPI document, relative to the root (default: openapi/openapi.yaml)
  --default-handler <name>
                 The handler of operations that name none; \`--default-handler mock\`
                 serves any OpenAPI document as a mock gateway
  --json         Print the result, or the error, as JSON on stdout, for CI
  --verbose      Print every warning, each example that breaks its schema included
  --strict       Examples that break their schema, and patterns a client could
                 make slow, are errors, not warnings
  --no-typecheck Skip type-checking the modules in policies/ (build and check do it)
  -h, --help     Show help

Colours go to a terminal only; NO_COLOR=1 turns them off, FORCE_COLOR=1 on.
Exit codes: 0 done; 1 a problem was printed (what, where, how to fix);
2 build or check was given a wrong command line.

Run \`npm run dev\` to serve the gateway locally, \`npm run deploy\` to deploy it.`,
  build: `portico build — compile the gateway

Reads openapi/openapi.yaml (and the files it $refs) and the modules in
policies/, checks everything (the modules' types too, with TypeScript), and
writes .portico/app.ts, which src/worker.ts serves. Exits 1 and prints each
problem (what, where, how to fix) when the spec or a policy is wrong.

Every example of the document is checked against its schema; those that break
it are counted in one line (--verbose prints each, --json lists each, located),
and --strict makes them errors.

Options: --root <dir>, --spec <file>, --default-handler <name>, --json,
--verbose, --strict, --no-typecheck`,
  check: `portico check — validate without building

Runs every check of \`portico build\` and writes nothing: the spec, x-portico,
every policy's options, and the types of the modules in policies/ (as tsc in
\`npm test\` checks them, in well under a second). Exits 1 on any error.
--strict: examples that break their schema, and patterns a client could make
slow, are errors too.
--no-typecheck: skip the type check of policies/.

Options: --root <dir>, --spec <file>, --default-handler <name>, --json,
--verbose, --strict, --no-typecheck`,
  init: INIT_HELP,
  import: IMPORT_HELP,
  new: NEW_HELP,
  dev: DEV_HELP,
  doctor: DOCTOR_HELP,
  migrate: MIGRATE_HELP,
  reference: `portico reference — print the x-portico reference

Usage: portico reference > docs/x-portico-reference.md

Prints, as Markdown on stdout, every key of x-portico and every option of every
built-in policy and handler, written from the schemas the build checks against.`,
  keys: KEYS_HELP,
  quota: QUOTA_HELP,
  cache: CACHE_HELP,
  usage: USAGE_HELP,
  tail: TAIL_HELP,
};

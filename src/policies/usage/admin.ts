/**
 * @module
 * GET /_portico/usage?since=<ISO date or instant, or 30m / 24h / 7d / 2w>&by=<grouping>&consumer=<id>:
 * the ledger's sums, for `portico usage`. The ledger is a Durable Object,
 * which no wrangler command can read, so the gateway answers for it, through
 * its admin routes (open only to PORTICO_ADMIN_TOKEN). Usage kept in
 * Analytics Engine is read with SQL instead, by `portico usage --remote`.
 */
import type { Env } from "../../runtime/builtin.ts";
import { PROBLEM, problem, type ProblemKind } from "../../runtime/errors.ts";
import { isLedgerNamespace } from "./stores.ts";
import { LEDGER_NAME } from "./ledger-buffer.ts";
import { GROUPINGS, type UsageGrouping } from "./report.ts";
import type { UsageLedger } from "./usage-ledger.ts";

const DEFAULT_SINCE = "24h";
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
/** The durations `portico usage --since` takes. */
const RELATIVE = /^(\d{1,6})([mhdw])$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** `since` as ms since the epoch: a duration back from now, or an ISO date or instant; undefined when neither. */
export function parseSince(value: string, now: number): number | undefined {
  const relative = RELATIVE.exec(value);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2] as keyof typeof UNIT_MS];
  if (!ISO_DATE.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? at : undefined;
}

const isGrouping = (value: string): value is UsageGrouping => (GROUPINGS as readonly string[]).includes(value);

/** The report of the first binding that is a ledger among the usage instances' bindings. */
export async function answerReport(request: Request, env: Env, bindings: readonly string[]): Promise<Response> {
  const url = new URL(request.url);
  const refuse = (kind: ProblemKind, detail: string) => problem(kind, { detail, requestId: crypto.randomUUID(), instance: url.pathname });
  const by = url.searchParams.get("by") ?? "operation";
  if (!isGrouping(by)) return refuse(PROBLEM.badRequest, `by must be one of ${GROUPINGS.join(", ")}; got "${by}".`);
  const sinceText = url.searchParams.get("since") ?? DEFAULT_SINCE;
  const since = parseSince(sinceText, Date.now());
  if (since === undefined)
    return refuse(PROBLEM.badRequest, `since must be an ISO date or instant, or a duration such as 30m, 24h, 7d or 2w; got "${sinceText}".`);
  const consumer = url.searchParams.get("consumer") || undefined;

  const targets = bindings.map((binding) => ({ binding, target: env[binding] }));
  const ledger = targets.find(({ target }) => isLedgerNamespace(target));
  if (!ledger) {
    const dataset = targets.find(({ target }) => typeof (target as AnalyticsEngineDataset | undefined)?.writeDataPoint === "function");
    if (dataset)
      return refuse(
        PROBLEM.notImplemented,
        `Usage is recorded in the Analytics Engine dataset ${dataset.binding}, which the gateway cannot read: use portico usage --remote.`,
      );
    return refuse(PROBLEM.serviceUnavailable, `The usage binding ${bindings.join(", ")} is missing from wrangler.toml: nothing is recorded.`);
  }
  const namespace = ledger.target as DurableObjectNamespace<UsageLedger>;
  try {
    const report = await namespace.get(namespace.idFromName(LEDGER_NAME)).query({ since, by, consumer });
    return Response.json(report, { headers: { "cache-control": "no-store" } });
  } catch {
    return refuse(PROBLEM.serviceUnavailable, "The usage ledger cannot answer right now. Retry shortly.");
  }
}

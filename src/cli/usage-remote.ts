/**
 * @module
 * `portico usage --remote`: the deployed gateway's usage, summed by Workers
 * Analytics Engine's SQL API from the dataset the `usage` binding writes to
 * (wrangler.toml's [[analytics_engine_datasets]]), with the account's
 * CLOUDFLARE_API_TOKEN (Account Analytics: Read).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import type { Problem } from "./style.ts";
import { rowsOfAnswer, usageSql, type Grouping, type Since, type UsageRow } from "./usage-query.ts";

/** Cloudflare's API. PORTICO_CLOUDFLARE_API replaces it for tests only, which answer from 127.0.0.1. */
const api = () => process.env.PORTICO_CLOUDFLARE_API ?? "https://api.cloudflare.com/client/v4";
/** What Analytics Engine accepts as a table name. */
const DATASET = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Answer<T> = T | { problem: Problem };

interface WranglerConfig {
  account_id?: unknown;
  analytics_engine_datasets?: { binding?: unknown; dataset?: unknown }[];
  durable_objects?: { bindings?: { name?: unknown }[] };
}

function wranglerConfig(root: string): WranglerConfig {
  try {
    return parseToml(readFileSync(join(root, "wrangler.toml"), "utf8")) as WranglerConfig;
  } catch {
    return {};
  }
}

/** The binding `x-portico.telemetry.usage` names; undefined when the document names none (or cannot be read). */
function usageBinding(root: string): string | undefined {
  const spec = ["openapi/openapi.yaml", "openapi/openapi.json"].map((name) => join(root, name)).find(existsSync);
  try {
    const usage = spec ? parseYaml(readFileSync(spec, "utf8"))?.["x-portico"]?.telemetry?.usage : undefined;
    return typeof usage === "string" ? usage : undefined;
  } catch {
    return undefined;
  }
}

/** The dataset to read: --dataset, else the one bound as the document's usage binding, else the project's only one. */
export function usageDataset(root: string, given: string | undefined): Answer<string> {
  const fix = "pass --dataset <name>, the `dataset` of wrangler.toml's [[analytics_engine_datasets]] entry the usage binding names.";
  const named = given ?? pickDataset(root);
  if (typeof named !== "string") return named;
  if (!DATASET.test(named)) return { problem: { message: `"${named}" is not an Analytics Engine dataset name.`, where: "--dataset", hint: fix } };
  return named;
}

function pickDataset(root: string): Answer<string> {
  const config = wranglerConfig(root);
  const datasets = config.analytics_engine_datasets ?? [];
  const binding = usageBinding(root);
  const entries = binding === undefined ? datasets : datasets.filter((entry) => entry.binding === binding);
  const where = join(root, "wrangler.toml");
  if (entries.length === 0 && config.durable_objects?.bindings?.some((bound) => bound.name === binding)) {
    return {
      problem: {
        message: `${binding}, the usage binding of x-portico.telemetry.usage, is a Durable Object namespace (the usage ledger), not an Analytics Engine dataset.`,
        where,
        hint: "drop --remote: the gateway answers for its ledger (give a deployed gateway's address with --gateway <url>).",
      },
    };
  }
  if (entries.length !== 1) {
    const message =
      binding !== undefined
        ? `No [[analytics_engine_datasets]] entry binds ${binding}, the usage binding of x-portico.telemetry.usage.`
        : `The usage dataset is not known: ${datasets.length === 0 ? "wrangler.toml binds no Analytics Engine dataset" : "wrangler.toml binds several"}, and the document's x-portico.telemetry.usage names no binding.`;
    return {
      problem: {
        message,
        where,
        hint: "bind the dataset in wrangler.toml ([[analytics_engine_datasets]] with binding and dataset), or pass --dataset <name>.",
      },
    };
  }
  const { binding: bound, dataset } = entries[0];
  if (typeof dataset !== "string") {
    return {
      problem: {
        message: `The [[analytics_engine_datasets]] entry of ${String(bound)} names no dataset.`,
        where,
        hint: 'add dataset = "<name>" to it, or pass --dataset <name>.',
      },
    };
  }
  return dataset;
}

function credentials(root: string): Answer<{ account: string; token: string }> {
  const configured = wranglerConfig(root).account_id;
  const account = process.env.CLOUDFLARE_ACCOUNT_ID ?? (typeof configured === "string" ? configured : undefined);
  const token = process.env.CLOUDFLARE_API_TOKEN;
  if (!account) {
    return {
      problem: {
        message: "No Cloudflare account.",
        where: "$CLOUDFLARE_ACCOUNT_ID",
        hint: "set CLOUDFLARE_ACCOUNT_ID to the account's id (`npx wrangler whoami` shows it), or account_id in wrangler.toml.",
      },
    };
  }
  if (!token) {
    return {
      problem: {
        message: "No Cloudflare API token.",
        where: "$CLOUDFLARE_API_TOKEN",
        hint: "create a token with the permission Account Analytics: Read (dashboard → My Profile → API Tokens) and set CLOUDFLARE_API_TOKEN to it.",
      },
    };
  }
  return { account, token };
}

/** Cloudflare's own words for a refused query: its errors[].message, else the start of the body. */
function reasonOf(body: string): string {
  try {
    const messages = (JSON.parse(body) as { errors?: { message?: string }[] }).errors?.map((error) => error.message).filter(Boolean);
    if (messages?.length) return messages.join("; ");
  } catch {
    // Analytics Engine answers a bad query in plain text.
  }
  return body.trim().slice(0, 300);
}

/** The rows Analytics Engine sums for the query. */
export async function remoteUsage(root: string, query: { dataset: string; since: Since; by: Grouping; consumer?: string }): Promise<Answer<UsageRow[]>> {
  const known = credentials(root);
  if ("problem" in known) return known;
  const endpoint = `${api()}/accounts/${encodeURIComponent(known.account)}/analytics_engine/sql`;
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { authorization: `Bearer ${known.token}`, "content-type": "text/plain" },
      body: usageSql(query),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      problem: {
        message: `Cloudflare's API cannot be reached (${cause?.code ?? (error as Error).message}).`,
        where: endpoint,
        hint: "check the connection, and try again.",
      },
    };
  }
  const body = await response.text();
  if (!response.ok) {
    const refused = response.status === 401 || response.status === 403;
    return {
      problem: {
        message: `Analytics Engine refused the usage query (${response.status}): ${reasonOf(body)}`,
        where: `POST ${endpoint}`,
        hint: refused
          ? "CLOUDFLARE_API_TOKEN needs the permission Account Analytics: Read on the account in CLOUDFLARE_ACCOUNT_ID."
          : `check the dataset name (${query.dataset}): it exists once the deployed gateway has recorded a request.`,
      },
    };
  }
  let rows: UsageRow[] | undefined;
  try {
    rows = rowsOfAnswer(JSON.parse(body));
  } catch {
    rows = undefined;
  }
  return (
    rows ?? {
      problem: {
        message: `Analytics Engine answered without rows: ${body.slice(0, 200)}`,
        where: `POST ${endpoint}`,
        hint: "run the command again; the answer is expected as FORMAT JSON.",
      },
    }
  );
}

/**
 * @module
 * What the developer portal of a large API costs its readers. Stripe's document
 * (the full one from ../shared/fixtures when it is there, else the trimmed one
 * of test/fixtures) is built by `portico build` as a user's project; the portal
 * is served on 127.0.0.1 as Workers Static Assets serve it, and read in
 * Chromium: its size on disk, the largest operation page with the CSS and
 * JavaScript it loads gzipped, the LCP of the home page and of that page on a
 * throttled connection and CPU, and how fast search shows results.
 *
 *   npm run bench:portal [-- --json --loads 3]
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { gunzipSync, gzipSync } from "node:zlib";
import { launchChromium, root } from "../test/e2e/browser.ts";
import { sharedFixtures } from "../test/support/shared-fixtures.ts";
import { publish, runMain, stopwatch } from "./lib/cli.ts";
import { largestContentfulPaint, loadedAssets, median, searchLatency, THROTTLING } from "./lib/portal-browser.ts";
import { cliBuild } from "./lib/scale-cli-build.ts";
import { serveStatic } from "./lib/static-assets.ts";

const HELP = `bench/portal.ts — the developer portal of Stripe's document: size, LCP, search

Options:
  --loads <n>    throttled loads per page, each with a cold cache; the median is judged (default 3)
  --budget <s>   stop with an error after this many seconds (default 300)
  --json         print the results as JSON on stdout (the report goes to stderr)
  -h, --help     show this help`;

const FULL = join(sharedFixtures, "openapi/real-world/stripe/spec3.yaml");
const TRIMMED = join(root, "test/fixtures/stripe/spec3.trimmed.yaml.gz");
/** Words a reader of Stripe's reference would look for; every one matches in the trimmed document too. */
const QUERIES = ["customer", "checkout session", "GetCustomersCustomer", "price", "webhook endpoint"] as const;
const LCP_TARGET_MS = 1000;

function options() {
  const { values } = parseArgs({
    options: {
      loads: { type: "string", default: "3" },
      budget: { type: "string", default: "300" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const whole = (name: "loads" | "budget") => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1.`);
    return value;
  };
  return { help: values.help === true, json: values.json === true, loads: whole("loads"), budgetSeconds: whole("budget") };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const gzipBytes = (file: string) => gzipSync(readFileSync(file)).length;

/** The portal's folder under dist/portal (its base path) and its largest operation page. */
function largestOperation(portal: string): { base: string; page: string; bytes: number } {
  const base = readdirSync(portal).find((name) => existsSync(join(portal, name, "operations")));
  if (!base) throw new Error(`no operations/ folder under ${portal}`);
  const pages = readdirSync(join(portal, base, "operations")).map((name) => ({ name, bytes: statSync(join(portal, base, "operations", name)).size }));
  const largest = pages.sort((a, b) => b.bytes - a.bytes)[0];
  return { base, page: `operations/${largest.name.replace(/\.html$/, "")}`, bytes: largest.bytes };
}

async function main(settings: ReturnType<typeof options>): Promise<number> {
  const say = (line: string) => console.error(line);
  const { seconds } = stopwatch();
  const budget = setTimeout(() => {
    console.error(`✘ over the budget of ${settings.budgetSeconds} s; stopped.`);
    process.exit(1);
  }, settings.budgetSeconds * 1000);
  budget.unref();
  const work = mkdtempSync(join(tmpdir(), "portico-bench-portal-"));
  try {
    const full = existsSync(FULL);
    let spec = FULL;
    if (!full) {
      spec = join(work, "source", "spec3.yaml");
      mkdirSync(join(work, "source"));
      writeFileSync(spec, gunzipSync(readFileSync(TRIMMED)));
    }
    const documentName = full ? "full (../shared/fixtures/openapi/real-world/stripe/spec3.yaml)" : "trimmed (test/fixtures/stripe/spec3.trimmed.yaml.gz)";
    say(`building the portal of Stripe's ${documentName} document`);
    const build = await cliBuild(spec, join(work, "project"));
    const portal = join(work, "project", "dist", "portal");
    const largest = largestOperation(portal);
    const operationPages = readdirSync(join(portal, largest.base, "operations")).length;
    say(`built in ${(build.buildMs / 1000).toFixed(1)} s: ${build.portalFiles} files, ${operationPages} operation pages; largest ${largest.page}`);

    const [site, browser] = await Promise.all([serveStatic(portal), launchChromium()]);
    try {
      const home = `${site.base}/${largest.base}/`;
      const operation = `${site.base}/${largest.base}/${largest.page}`;
      const assets = (await loadedAssets(browser, operation)).map((url) => {
        const path = new URL(url).pathname.slice(1);
        return { path: relative(largest.base, path), bytes: statSync(join(portal, path)).size, gzipBytes: gzipBytes(join(portal, path)) };
      });
      const pageGzip = gzipBytes(join(portal, largest.base, `${largest.page}.html`));
      const totalGzipBytes = pageGzip + assets.reduce((sum, a) => sum + a.gzipBytes, 0);

      say(`LCP: ${settings.loads} throttled loads per page…`);
      const lcpHome = await largestContentfulPaint(browser, home, settings.loads);
      const lcpOperation = await largestContentfulPaint(browser, operation, settings.loads);
      say(`search: ${QUERIES.length} queries…`);
      const timings = await searchLatency(browser, home, QUERIES);
      const empty = timings.filter((t) => t.results === 0);
      if (empty.length) throw new Error(`search found nothing for ${empty.map((t) => `"${t.query}"`).join(", ")}`);

      const verdict = (value: number) => (value < LCP_TARGET_MS ? "met" : "MISSED");
      const search = { medianFirstMs: median(timings.map((t) => t.firstMs)), medianAgainMs: median(timings.map((t) => t.againMs)) };
      const lcpRow = (name: string, lcp: typeof lcpHome) =>
        `  ${name.padEnd(44)} ${ms(lcp.medianMs).padStart(8)}  (${lcp.loadsMs.map(ms).join(", ")}; LCP element <${lcp.element}>)  ${verdict(lcp.medianMs)}`;
      const printed = [
        `Stripe's document, ${documentName}: ${operationPages} operation pages, built by \`portico build\` in ${(build.buildMs / 1000).toFixed(1)} s.`,
        `Served from 127.0.0.1 as Workers Static Assets serve it (_headers applied, text gzipped); Chromium ${browser.version()}.`,
        "",
        `portal on disk                 ${(build.portalDiskBytes / 1024 / 1024).toFixed(1)} MB in ${build.portalFiles} files (${(build.portalBytes / 1024 / 1024).toFixed(1)} MB of content)`,
        `largest operation page         ${largest.page} (${kb(largest.bytes)})`,
        `  gzipped, with its CSS and JS ${kb(totalGzipBytes)}: the page ${kb(pageGzip)}, ${assets.map((a) => `${a.path} ${kb(a.gzipBytes)}`).join(", ")}`,
        "",
        `LCP, ${THROTTLING.latencyMs} ms RTT, ${THROTTLING.downloadKbps / 1000} Mbit/s down, ${THROTTLING.uploadKbps} kbit/s up, CPU ×${THROTTLING.cpuSlowdown}, cold cache; median of ${settings.loads}, target < ${ms(LCP_TARGET_MS)}`,
        lcpRow(`home (/${largest.base}/)`, lcpHome),
        lcpRow(`largest operation page`, lcpOperation),
        "",
        `search, unthrottled: from the query typed to the results painted, median over ${QUERIES.length} queries (${QUERIES.map((q) => `"${q}"`).join(", ")})`,
        `  first query on a freshly opened page (the index loads on focus)  ${ms(search.medianFirstMs)}`,
        `  the same query again, the index loaded                          ${ms(search.medianAgainMs)}`,
        "",
        `total ${seconds()} s`,
      ].join("\n");
      publish(settings.json, printed, {
        document: { full, name: documentName, operationPages },
        build,
        largestPage: { path: largest.page, bytes: largest.bytes, gzipBytes: pageGzip, assets, totalGzipBytes },
        lcp: { throttling: THROTTLING, targetMs: LCP_TARGET_MS, home: lcpHome, operation: lcpOperation },
        search: { ...search, timings },
      });
      return 0;
    } finally {
      await Promise.allSettled([browser.close(), site.close()]);
    }
  } finally {
    clearTimeout(budget);
    rmSync(work, { recursive: true, force: true });
  }
}

await runMain(HELP, options, main);

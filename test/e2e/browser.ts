/**
 * What the browser tests stand on: the real `npm run dev` in a copy of the
 * project on a free port, Debian's Chromium driven by playwright-core,
 * screenshots under test/.artifacts/, and axe-core run inside the page.
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

export const root = fileURLToPath(new URL("../..", import.meta.url).href);
export const chromiumPath = "/usr/bin/chromium";
const artifacts = join(root, "test/.artifacts/portal");

/** Debian's Chromium (and the one GitHub's Ubuntu runners ship at the same path); playwright's own download does not install here. */
export function launchChromium(): Promise<Browser> {
  // Each launch gets a fresh temporary profile from playwright: it refuses a --user-data-dir among the args.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

let shots = 0;
/** A full-page PNG named in the order taken, so a reader can follow the walk through the portal. */
export async function screenshot(page: Page, name: string): Promise<string> {
  // Start each run from an empty folder, so no picture from an earlier run passes for this one's.
  if (shots === 0) rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${String(++shots).padStart(2, "0")}-${name}.png`);
  // From the top: a sticky header would otherwise be drawn over the middle of a full-page picture.
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface AxeViolation {
  id: string;
  impact: "minor" | "moderate" | "serious" | "critical" | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

const axeSource = () => readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core's WCAG A/AA rules on the page as it is now; evaluated rather than added as a <script>, so a strict CSP cannot block it. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource());
  // Browser-side code as text: this project compiles without the DOM library.
  return page.evaluate<AxeViolation[]>(`
    axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })
      .then((result) => result.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, nodes: nodes.map(({ target, failureSummary }) => ({ target, failureSummary })) })))
  `);
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact ?? "?"} ${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${JSON.stringify(n.target)}`).join("\n")}`).join("\n");
}

export { startDevServer, type DevServer } from "../support/dev-server.ts";

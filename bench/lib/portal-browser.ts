/**
 * @module
 * The portal in Chromium: what a page loads, its Largest Contentful Paint on a
 * throttled connection and CPU, and how long search takes to show results.
 * Browser-side code is passed as text: this project compiles without the DOM
 * library.
 */
import type { Browser, Page } from "playwright-core";

/** Lighthouse's mobile preset ("Slow 4G"), applied through the DevTools Protocol as DevTools' own throttling does. */
export const THROTTLING = { latencyMs: 150, downloadKbps: 1600, uploadKbps: 750, cpuSlowdown: 4 } as const;
const TIMEOUT_MS = 30_000;

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** The stylesheets and scripts a page loads by the time it is idle (its dynamic imports included), as URLs. */
export async function loadedAssets(browser: Browser, url: string): Promise<string[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const assets = new Set<string>();
    page.on("request", (request) => {
      if (["stylesheet", "script"].includes(request.resourceType())) assets.add(request.url());
    });
    await page.goto(url, { waitUntil: "networkidle", timeout: TIMEOUT_MS });
    return [...assets];
  } finally {
    await context.close();
  }
}

// Every LCP candidate recorded from the start of the document; the last one is the page's LCP.
const OBSERVE_LCP = `new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__lcp = { ms: entry.startTime, element: entry.element ? entry.element.tagName.toLowerCase() : "?" };
}).observe({ type: "largest-contentful-paint", buffered: true });`;

export interface Lcp {
  medianMs: number;
  loadsMs: number[];
  /** The element of the median load's LCP. */
  element: string;
}

/** LCP over `loads` loads, each in a fresh context (an empty cache), throttled as THROTTLING says. */
export async function largestContentfulPaint(browser: Browser, url: string, loads: number): Promise<Lcp> {
  const measured: Array<{ ms: number; element: string }> = [];
  for (let i = 0; i < loads; i++) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: THROTTLING.latencyMs,
        downloadThroughput: (THROTTLING.downloadKbps * 1000) / 8,
        uploadThroughput: (THROTTLING.uploadKbps * 1000) / 8,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLING.cpuSlowdown });
      await page.addInitScript(OBSERVE_LCP);
      await page.goto(url, { waitUntil: "load", timeout: TIMEOUT_MS });
      // Candidates are reported after they paint: wait for two frames past load, then read the last.
      await page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 100))))");
      const lcp = await page.waitForFunction("window.__lcp", undefined, { timeout: TIMEOUT_MS });
      measured.push((await lcp.jsonValue()) as { ms: number; element: string });
    } finally {
      await context.close();
    }
  }
  const medianMs = median(measured.map((m) => m.ms));
  return { medianMs, loadsMs: measured.map((m) => m.ms), element: measured.find((m) => m.ms === medianMs)?.element ?? measured[0].element };
}

// From the query's input event to the frame after the results list took matches: what the reader sees.
const TIME_SEARCH = `window.__searchTiming = new Promise((done, fail) => {
  const input = document.querySelector("form[data-search] input[name=q]");
  const form = input.closest("form");
  const results = form.querySelector("[data-search-results]") ?? form.parentElement.querySelector("[data-search-results]");
  let typed;
  document.addEventListener("input", () => (typed = performance.now()), { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (typed === undefined || !results.querySelector("a")) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => done({ ms: performance.now() - typed, results: results.querySelectorAll("a").length })));
  });
  observer.observe(results, { childList: true, subtree: true });
  setTimeout(() => fail(new Error("no results within 10 s")), 10000);
}); undefined`;

export interface SearchTiming {
  query: string;
  /** The first query on a freshly opened page: the box focused and the query typed at once, so the index loads meanwhile. */
  firstMs: number;
  /** The same query again once the index is there. */
  againMs: number;
  results: number;
}

async function timeQuery(page: Page, query: string): Promise<{ ms: number; results: number }> {
  await page.evaluate(TIME_SEARCH);
  await page.fill("form[data-search] input[name=q]", query, { timeout: TIMEOUT_MS });
  return (await page.evaluate("window.__searchTiming")) as { ms: number; results: number };
}

/** Each query on a fresh page, without throttling: typed at once after a click into the box, then again. */
export async function searchLatency(browser: Browser, url: string, queries: readonly string[]): Promise<SearchTiming[]> {
  const timings: SearchTiming[] = [];
  for (const query of queries) {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(url, { waitUntil: "load", timeout: TIMEOUT_MS });
      await page.click("form[data-search] input[name=q]", { timeout: TIMEOUT_MS });
      const first = await timeQuery(page, query);
      await page.fill("form[data-search] input[name=q]", "", { timeout: TIMEOUT_MS });
      const again = await timeQuery(page, query);
      timings.push({ query, firstMs: first.ms, againMs: again.ms, results: again.results });
    } finally {
      await context.close();
    }
  }
  return timings;
}

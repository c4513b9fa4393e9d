/**
 * README.md's "Five minutes with Portico" against a fresh `npm run dev` of the
 * example, walked as test/support/readme-tour.ts says.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../support/dev-server.ts";
import { readReadme, shapeOf, TOUR_SHAPE, tourSteps, walkTour } from "../support/readme-tour.ts";

const root = fileURLToPath(new URL("../..", import.meta.url).href);
const readme = readReadme(root);

let dev: DevServer;

beforeAll(async () => {
  dev = await startDevServer();
}, 120_000);

afterAll(() => dev?.stop());

describe("README.md's five-minute tour on a fresh npm run dev", () => {
  it("reads the tour's commands out of the README", () => {
    expect(tourSteps(readme).map(shapeOf)).toEqual(TOUR_SHAPE);
  });

  it("answers every step as the README says, in the README's order", { timeout: 300_000 }, async () => {
    await walkTour(readme, { base: dev.base, project: dev.project, portico: `"${process.execPath}" "${join(root, "bin/portico.js")}"` });
  });
});

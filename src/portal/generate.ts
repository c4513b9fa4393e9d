/**
 * @module
 * The developer portal as static files, generated at build time from the
 * public document and served by the gateway through Workers Static Assets.
 * Each operation gets its own page, so a large API stays as fast as a small one.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { headersFile, portalAssets } from "./assets.ts";
import { loadConfig, loadGuides, plainText } from "./config.ts";
import { escapeHtml, markdown, slugOf } from "./html.ts";
import { page, type Layout, type PageInput } from "./layout.ts";
import { descriptionText, startDescriptions } from "./markdown.ts";
import { operationModel } from "./operation-model.ts";
import { useChecks } from "./examples.ts";
import { readPortalConfig, type PortalInput } from "../portal-input.ts";
import { componentExamples } from "./example-blocks.ts";
import { exampleHomes } from "./example-homes.ts";
import { operationBody } from "./operation-page.ts";
import { samplesOf } from "./code-samples.ts";
import { LATER_SAMPLES_FROM, laterSamplesHref, samplesPageBody, type TagSamples } from "./samples-page.ts";
import { errorsBody, homeBody, indexBody, notFoundBody, schemaBody, tagBody } from "./pages.ts";
import { MCP_PAGE, mcpBody } from "./mcp-page.ts";
import { buildSearchIndex } from "./search-index.ts";
import { sharedExampleComponents } from "./shared-examples.ts";
import { absoluteUrl, collectOperations, fileOf, groupsOf, HTTP_METHODS, linkServedPages, served } from "./site.ts";
import { themeVariables } from "./theme.ts";
import { selfServeShell } from "./self-serve/shell.ts";

/** What `compile()` returned for the portal, and where the site goes. */
export interface PortalBuild extends PortalInput {
  /** The project root: portal/ is read from it. */
  root: string;
  /** <root>/dist/portal: the assets folder, whose `_headers` this writes too. */
  outDir: string;
}

const here = dirname(fileURLToPath(import.meta.url));
/** The folders of pages; every other file of the portal sits at its root, or under assets/. */
const FOLDERS = ["operations", "tags", "schemas", "webhooks", "guides", "samples"];

export async function generatePortal(input: PortalBuild): Promise<{ pages: number; bytes: number }> {
  const { document, root } = input;
  const config = loadConfig(root, document);
  const descriptionWarnings = startDescriptions(config.linkBase, document);
  useChecks(document, input.checkAt);
  const site = join(input.outDir, config.basePath.replace(/^\//, ""));
  rmSync(site, { recursive: true, force: true });
  let pages = 0;
  let bytes = 0;
  const write = (relative: string, content: string | Buffer) => {
    const file = join(site, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
    bytes += typeof content === "string" ? Buffer.byteLength(content) : content.length;
    if (relative.endsWith(".html")) pages += 1;
  };

  const operations = collectOperations(document, input.operations);
  const groups = groupsOf(document, operations);
  const sharedExamples = sharedExampleComponents(document, operations);
  const exampleElsewhere = exampleHomes(document, operations, sharedExamples);
  const guides = loadGuides(root);
  const webhooks = Object.entries(document.webhooks ?? {}) as Array<[string, Record<string, any>]>;
  const logo = config.logo ? { name: slugOf(basename(config.logo)), file: join(root, "portal", config.logo) } : undefined;
  const css = [themeVariables(config), ...["portal.css", "layout.css"].map((name) => readFileSync(join(here, name), "utf8"))].join("\n");
  const assets = portalAssets(css, join(here, "client"), logo);
  const layout: Layout = {
    siteTitle: config.title,
    basePath: config.basePath,
    logo: logo && assets.names.has(logo.name) ? logo.name : undefined,
    nav: { groups, guides, hasWebhooks: webhooks.length > 0 },
    assets: assets.names,
    signIn: readPortalConfig(root).auth !== undefined,
    mcpPage: input.mcp ? MCP_PAGE : undefined,
  };
  // Pages sit at the base path or one folder below it.
  const render = (input: Omit<PageInput, "up"> & { path: string }) =>
    write(fileOf(input.path), linkServedPages(page(layout, { ...input, up: input.path.includes("/") ? "../" : "" })));

  render({
    path: served.home,
    title: "Overview",
    body: homeBody(
      document,
      groups,
      (document.servers ?? []).map((server: any) => server.url),
    ),
    description: document.info?.description,
  });
  // The page the gateway's problem types point at (x-portico.problems.base defaults to it).
  render({ path: served.errors, title: "Errors", body: errorsBody(), description: "The errors the gateway itself answers with." });
  if (input.mcp) render({ path: MCP_PAGE, title: "MCP server", body: mcpBody(document, input.mcp, operations), scripts: ["try-it.js"] });
  // Served by the gateway at any depth below the base path, so its links are absolute.
  const top = absoluteUrl(config.basePath, "");
  write(fileOf(served.notFound), linkServedPages(page(layout, { path: served.notFound, up: top, title: "Page not found", body: notFoundBody(top) })));
  const shell = selfServeShell(root, layout);
  if (shell) write(shell.file, linkServedPages(shell.html));

  // A large API's pages link their samples past the first three languages, each tag's on one page.
  const laterSamples = operations.length >= LATER_SAMPLES_FROM ? new Map<string, TagSamples[]>() : undefined;
  for (const op of operations) {
    const model = operationModel(document, op.id, op.method, op.path, op.pathItem, op.operation);
    const group = groups.find((item) => item.name === op.groups[0])?.slug;
    const laterSamplesAt = laterSamples && group !== undefined ? laterSamplesHref("../", group, op.slug) : undefined;
    render({
      path: served.operation(op.slug),
      group,
      title: op.label,
      body: operationBody(document, model, {
        limits: op.limits,
        up: "../",
        sharedExamples,
        laterSamplesAt,
        exampleElsewhere: exampleElsewhere(op.slug),
      }),
      description: descriptionText(op.operation.summary),
      scripts: ["try-it.js"],
    });
    const later = laterSamplesAt ? samplesOf(document, model).filter((sample) => sample.later) : [];
    if (later.length) laterSamples!.set(group!, [...(laterSamples!.get(group!) ?? []), { slug: op.slug, label: op.label, samples: later }]);
  }
  for (const [slug, entries] of laterSamples ?? []) {
    const name = groups.find((group) => group.slug === slug)?.name ?? slug;
    render({ path: served.samples(slug), group: slug, title: `Code samples: ${name}`, body: samplesPageBody(name, entries) });
  }
  for (const group of groups) {
    render({ path: served.group(group.slug), group: group.slug, title: group.name, body: tagBody(group.name, group.description, group.operations) });
  }
  const schemaNames = Object.keys(document.components?.schemas ?? {});
  for (const name of schemaNames) {
    const example = sharedExamples.has(name) ? componentExamples(document, name) : "";
    render({ path: served.schema(name), title: name, body: schemaBody(document, name, example) });
  }
  render({
    path: served.schemas,
    title: "Schemas",
    body: indexBody(
      "Schemas",
      schemaNames.map((name) => ({ href: slugOf(name), text: name })),
    ),
  });

  if (webhooks.length) {
    for (const [name, pathItem] of webhooks) {
      const parts = HTTP_METHODS.filter((method) => pathItem?.[method]).map((method) =>
        operationBody(document, operationModel(document, `${name}-${method}`, method, name, pathItem, pathItem[method]), {
          limits: [],
          up: "../",
          webhook: true,
        }),
      );
      render({
        path: served.webhook(name),
        title: `Webhook ${name}`,
        body: `<p class="muted">Webhook <code>${escapeHtml(name)}</code>: this API sends the request below to a URL you register.</p>${parts.join("<hr>")}`,
      });
    }
    render({
      path: served.webhooks,
      title: "Webhooks",
      body: indexBody(
        "Webhooks",
        webhooks.map(([name]) => ({ href: slugOf(name), text: name })),
      ),
    });
  }

  for (const guide of guides)
    render({ path: served.guide(guide.slug), title: guide.title, body: `<article class="guide">${markdown(guide.markdown)}</article>` });

  const guideTexts = guides.map((guide) => ({ slug: guide.slug, title: guide.title, text: plainText(guide.markdown) }));
  write("search-index.json", JSON.stringify(buildSearchIndex({ document, guides: guideTexts, basePath: config.basePath, operations })));
  for (const file of assets.files) write(`assets/${file.name}`, file.content);
  writeFileSync(join(input.outDir, "_headers"), headersFile(config.basePath, FOLDERS));
  for (const warning of descriptionWarnings()) console.warn(`portico build: warning: ${warning}`);
  return { pages, bytes };
}

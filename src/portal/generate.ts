/**
 * @module
 * The developer portal as static files, generated at build time from the
 * public document and served by the gateway through Workers Static Assets.
 * Each operation gets its own page, so a large API stays as fast as a small one.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig, loadGuides, plainText, type Guide } from "./config.ts";
import { escapeHtml, markdown, page, slugOf, type Layout } from "./html.ts";
import { operationModel } from "./operation-model.ts";
import type { PortalInput, PortalLimit } from "../portal-input.ts";
import { operationBody } from "./operation-page.ts";
import { errorsBody, homeBody, indexBody, schemaBody, tagBody, type OperationLink } from "./pages.ts";
import { themeVariables } from "./theme.ts";

/** What `compile()` returned for the portal, and where the site goes. */
export interface PortalBuild extends PortalInput {
  /** The project root: portal/ is read from it. */
  root: string;
  /** <root>/dist/portal */
  outDir: string;
}

const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const here = dirname(fileURLToPath(import.meta.url));

export async function generatePortal(input: PortalBuild): Promise<{ pages: number; bytes: number }> {
  const { document, root } = input;
  const config = loadConfig(root, document);
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

  const operations = collectOperations(input);
  const guides = loadGuides(root);
  const tagNames = tagsOf(document, operations);
  const webhooks = Object.entries(document.webhooks ?? {}) as Array<[string, Record<string, any>]>;
  const layout: Layout = {
    siteTitle: config.title,
    logo: config.logo ? slugOf(config.logo.split("/").pop() ?? config.logo) : undefined,
    basePath: config.basePath,
    tags: tagNames.map((tag) => tag.name),
    guides,
    hasWebhooks: webhooks.length > 0,
  };

  write(
    "index.html",
    page(layout, {
      title: "Overview",
      up: "",
      body: homeBody(
        document,
        tagNames,
        (document.servers ?? []).map((server: any) => server.url),
      ),
      description: document.info?.description,
    }),
  );
  // The page the gateway's problem types point at (x-portico.problems.base defaults to it).
  write("errors.html", page(layout, { title: "Errors", up: "", body: errorsBody(), description: "The errors the gateway itself answers with." }));

  for (const op of operations) {
    const body = operationBody(document, op.model, { limits: op.limits, up: "../" });
    write(
      `operations/${slugOf(op.id)}.html`,
      page(layout, { title: op.operation.summary ?? `${op.method.toUpperCase()} ${op.path}`, up: "../", body, description: op.operation.summary }),
    );
  }
  for (const tag of tagNames) {
    const listed = operations.filter((op) => op.tags.includes(tag.name));
    write(`tags/${slugOf(tag.name)}.html`, page(layout, { title: tag.name, up: "../", body: tagBody(tag.name, tag.description, listed) }));
  }
  const schemaNames = Object.keys(document.components?.schemas ?? {});
  for (const name of schemaNames) write(`schemas/${slugOf(name)}.html`, page(layout, { title: name, up: "../", body: schemaBody(document, name) }));
  write(
    "schemas/index.html",
    page(layout, {
      title: "Schemas",
      up: "../",
      body: indexBody(
        "Schemas",
        schemaNames.map((name) => ({ href: `${slugOf(name)}.html`, text: name })),
      ),
    }),
  );

  if (webhooks.length) {
    const links: Array<{ href: string; text: string }> = [];
    for (const [name, pathItem] of webhooks) {
      const parts = methods
        .filter((method) => pathItem?.[method])
        .map((method) =>
          operationBody(document, operationModel(document, `${name}-${method}`, method, name, pathItem, pathItem[method]), {
            limits: [],
            up: "../",
            webhook: true,
          }),
        );
      write(
        `webhooks/${slugOf(name)}.html`,
        page(layout, {
          title: `Webhook ${name}`,
          up: "../",
          body: `<p class="muted">Webhook <code>${escapeHtml(name)}</code>: this API sends the request below to a URL you register.</p>${parts.join("<hr>")}`,
        }),
      );
      links.push({ href: `${slugOf(name)}.html`, text: name });
    }
    write("webhooks/index.html", page(layout, { title: "Webhooks", up: "../", body: indexBody("Webhooks", links) }));
  }

  for (const guide of guides)
    write(
      `guides/${slugOf(guide.slug)}.html`,
      page(layout, { title: guide.title, up: "../", body: `<article class="guide">${markdown(guide.markdown)}</article>` }),
    );

  const searchEntries = await searchIndex(document, guides, config.basePath, operations);
  write("search-index.json", JSON.stringify(searchEntries));

  write("assets/portal.css", themeVariables(config) + readFileSync(join(here, "portal.css"), "utf8"));
  const clientFolder = join(here, "client");
  if (existsSync(clientFolder)) {
    for (const name of readdirSync(clientFolder).filter((file) => file.endsWith(".js"))) write(`assets/${name}`, readFileSync(join(clientFolder, name)));
  }
  if (config.logo) {
    const logo = join(root, "portal", config.logo);
    if (existsSync(logo)) {
      mkdirSync(join(site, "assets"), { recursive: true });
      copyFileSync(logo, join(site, "assets", layout.logo!));
    }
  }
  return { pages, bytes };
}

interface PortalOperation extends OperationLink {
  operation: Record<string, any>;
  model: ReturnType<typeof operationModel>;
  limits: PortalLimit[];
}

function collectOperations(input: PortalBuild): PortalOperation[] {
  const { document } = input;
  const out: PortalOperation[] = [];
  const used = new Set<string>();
  for (const [path, rawItem] of Object.entries(document.paths ?? {})) {
    const pathItem = (rawItem ?? {}) as Record<string, any>;
    for (const method of methods) {
      const operation = pathItem[method];
      if (!operation) continue;
      const planned =
        input.operations.find((op) => op.method.toLowerCase() === method && op.path === path) ??
        input.operations.find((op) => operation.operationId && op.operationId === operation.operationId);
      let id = String(operation.operationId ?? planned?.operationId ?? `${method}-${path}`);
      while (used.has(slugOf(id))) id += "_";
      used.add(slugOf(id));
      const tags: string[] = Array.isArray(operation.tags) && operation.tags.length ? operation.tags.map(String) : ["Other"];
      out.push({
        id,
        method,
        path,
        summary: operation.summary,
        tags,
        operation,
        model: operationModel(document, id, method, path, pathItem, operation),
        limits: planned?.limits ?? [],
      });
    }
  }
  return out;
}

/** Declared tags first, in the document's order, then any only used by operations. */
function tagsOf(document: Record<string, any>, operations: PortalOperation[]): Array<{ name: string; description?: string; count: number }> {
  const counts = new Map<string, number>();
  for (const op of operations) for (const tag of op.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  const declared: Array<{ name: string; description?: string }> = (document.tags ?? []).filter((tag: any) => tag?.name && counts.has(tag.name));
  const names = new Set(declared.map((tag) => tag.name));
  const rest = [...counts.keys()].filter((name) => !names.has(name)).map((name) => ({ name, description: undefined }));
  return [...declared, ...rest].map((tag) => ({ name: tag.name, description: tag.description, count: counts.get(tag.name) ?? 0 }));
}

type SearchEntry = { kind: "operation" | "schema" | "guide"; title: string; text: string; url: string };

async function searchIndex(document: Record<string, any>, guides: Guide[], basePath: string, operations: PortalOperation[]): Promise<SearchEntry[]> {
  const guideTexts = guides.map((guide) => ({ slug: guide.slug, title: guide.title, text: plainText(guide.markdown) }));
  const shared = join(here, "search-index.ts");
  if (existsSync(shared)) {
    const module = (await import(shared)) as {
      buildSearchIndex?: (input: { document: Record<string, any>; guides: typeof guideTexts; basePath: string }) => SearchEntry[];
    };
    if (module.buildSearchIndex) return module.buildSearchIndex({ document, guides: guideTexts, basePath });
  }
  const trim = (text: unknown) => (typeof text === "string" ? text.replace(/\s+/g, " ").trim().slice(0, 200) : "");
  return [
    ...operations.map((op) => ({
      kind: "operation" as const,
      title: `${op.method.toUpperCase()} ${op.path}${op.summary ? ` · ${op.summary}` : ""}`,
      text: trim(op.operation.description ?? op.summary),
      url: `${basePath}/operations/${slugOf(op.id)}.html`,
    })),
    ...Object.entries(document.components?.schemas ?? {}).map(([name, schema]: [string, any]) => ({
      kind: "schema" as const,
      title: name,
      text: trim(schema?.description),
      url: `${basePath}/schemas/${slugOf(name)}.html`,
    })),
    ...guideTexts.map((guide) => ({
      kind: "guide" as const,
      title: guide.title,
      text: trim(guide.text),
      url: `${basePath}/guides/${slugOf(guide.slug)}.html`,
    })),
  ];
}

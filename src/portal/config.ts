/**
 * @module
 * portal/portal.config (YAML) and the guides in portal/pages/*.md.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { portalBasePath, readPortalConfig } from "../portal-input.ts";

export interface Palette {
  primary?: string;
  background?: string;
  text?: string;
}

export interface PortalConfig {
  title: string;
  logo?: string;
  basePath: string;
  colors: Palette;
  dark: Palette;
  /** Where the document's relative links point (see description-links.ts); checked when the portal is written. */
  linkBase?: unknown;
}

export function loadConfig(root: string, document: Record<string, any>): PortalConfig {
  const raw = readPortalConfig(root);
  return {
    title: String(raw.title ?? document.info?.title ?? "API"),
    logo: typeof raw.logo === "string" ? raw.logo : undefined,
    basePath: portalBasePath(root) ?? "/docs",
    colors: raw.colors ?? {},
    dark: raw.dark ?? {},
    linkBase: raw.linkBase,
  };
}

export interface Guide {
  slug: string;
  title: string;
  order: number;
  group?: string;
  markdown: string;
}

export function loadGuides(root: string): Guide[] {
  const folder = join(root, "portal", "pages");
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => name.endsWith(".md"))
    .map((name) => {
      const source = readFileSync(join(folder, name), "utf8");
      const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
      const front = (match ? (parse(match[1]) as Record<string, any> | null) : null) ?? {};
      const body = match ? source.slice(match[0].length) : source;
      const slug = name.slice(0, -3);
      return {
        slug,
        title: String(front.title ?? slug),
        order: Number(front.order ?? 1000),
        group: front.group ? String(front.group) : undefined,
        markdown: body,
      };
    })
    .sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}

/** Plain text of Markdown, for the search index. */
export function plainText(markdownSource: string): string {
  return markdownSource
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/[#>*_`\[\]]/g, "")
    .replace(/\((https?:|\/)[^)]*\)/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

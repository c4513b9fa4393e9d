/**
 * @module
 * The colours of portal/portal.config as CSS custom properties, light and
 * dark; assets/portal.css derives every other colour from these three. Dark
 * applies when the reader picked it (data-theme, set by theme.js) or, until
 * they pick, when their system prefers it, with or without JavaScript.
 */
import type { Palette, PortalConfig } from "./config.ts";

const light = { primary: "#1d4ed8", background: "#ffffff", text: "#1b1f24" };
const dark = { primary: "#8ab4ff", background: "#111418", text: "#e6e8eb" };

/** Only colour syntax passes: the config must not be able to inject other CSS. */
function colour(value: unknown, fallback: string): string {
  return typeof value === "string" && /^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|hsl|oklch)a?\([0-9.,%\s/a-z-]+\))$/.test(value.trim()) ? value.trim() : fallback;
}

export function themeVariables(config: PortalConfig): string {
  const block = (palette: Palette, defaults: typeof light) =>
    `--primary: ${colour(palette.primary, defaults.primary)}; --bg: ${colour(palette.background, defaults.background)}; --text: ${colour(palette.text, defaults.text)};`;
  const darkBlock = `${block(config.dark, dark)} color-scheme: dark;`;
  // Without JavaScript no data-theme is set: the system's preference decides, by media query.
  return [
    `:root { ${block(config.colors, light)} color-scheme: light; }`,
    `@media (prefers-color-scheme: dark) { :root:not([data-theme="light"]) { ${darkBlock} } }`,
    `[data-theme="dark"] { ${darkBlock} }`,
    "",
  ].join("\n");
}

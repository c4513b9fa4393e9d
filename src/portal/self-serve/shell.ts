/**
 * @module
 * The page the Worker fills with the portal's sign-in and "My keys" content
 * (src/selfserve): a portal page like any other, header, navigation, styles
 * and scripts included, with a marker where its content goes. Written only
 * when portal.config has an `auth` section.
 */
import { readPortalConfig } from "../../portal-input.ts";
import { SHELL_FILE, SHELL_SLOT } from "../../selfserve/config.ts";
import { page, type Layout } from "../layout.ts";

/** The shell's file (relative to the portal's folder) and HTML, or undefined without sign-in. */
export function selfServeShell(root: string, layout: Layout): { file: string; html: string } | undefined {
  if (readPortalConfig(root).auth === undefined) return undefined;
  return { file: SHELL_FILE, html: page(layout, { title: "My keys", up: "", path: "keys", body: SHELL_SLOT }) };
}

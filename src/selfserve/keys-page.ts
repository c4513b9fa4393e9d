/**
 * @module
 * The HTML of the "My keys" page and of the portal's sign-in messages, put
 * into the portal's own page (the shell the portal build writes, so header,
 * navigation and styles are the portal's). Every value is escaped: names,
 * ids and claims come from developers and the identity provider.
 */
import type { LimitSummary, SelfServeConfig } from "./config.ts";
import type { ListedKey } from "./consumer-keys.ts";
import { MAX_NAME_LENGTH } from "./key-input.ts";
import type { OpenSession } from "./session.ts";

import { escapeHtml } from "../runtime/escape-html.ts";

export { escapeHtml };

/** What the page shows besides the keys. */
export interface KeysView {
  session: OpenSession;
  keys: ListedKey[];
  tier?: string;
  /** A key just made or rotated: shown once, here. */
  issued?: { key: string; name: string; previous?: string };
  /** What was done, or why not. */
  notice?: { text: string; error?: boolean };
  usage?: Array<{ group: string; requests: number; status4xx: number; status5xx: number }>;
}

const GRACES: Array<[number, string]> = [
  [0, "At once"],
  [3600, "After 1 hour"],
  [86_400, "After 24 hours"],
  [604_800, "After 7 days"],
];

const when = (iso: string | null | undefined) =>
  iso ? `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace(/:\d\d\.\d{3}Z$/, "Z").replace("T", " "))}</time>` : "never";

function hidden(session: OpenSession, action: string, keyId?: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(session.csrf)}"><input type="hidden" name="action" value="${action}">${keyId ? `<input type="hidden" name="keyId" value="${escapeHtml(keyId)}">` : ""}`;
}

function keyRow(key: ListedKey, session: OpenSession, index: number): string {
  const label = escapeHtml(key.name);
  const graces = GRACES.map(([seconds, text]) => `<option value="${seconds}"${seconds === 86_400 ? " selected" : ""}>${text}</option>`).join("");
  const rotate =
    key.status === "active"
      ? `<form method="post" class="inline-form">${hidden(session, "rotate", key.keyId)}<label for="grace-${index}">Old key stops</label> <select id="grace-${index}" name="grace">${graces}</select> <button type="submit" aria-label="Rotate ${label}">Rotate</button></form>`
      : "";
  const revoke = `<form method="post" class="inline-form">${hidden(session, "revoke", key.keyId)}<button type="submit" aria-label="Revoke ${label}">Revoke</button></form>`;
  return `<tr data-key-id="${escapeHtml(key.keyId)}"><td>${label}</td><td><code>${escapeHtml(key.keyPreview)}…</code></td><td>${when(key.createdAt)}</td><td>${when(key.expiresAt)}</td><td>${key.status}</td><td>${rotate}${revoke}</td></tr>`;
}

function limitRows(limits: LimitSummary[], tier: string | undefined): string {
  return limits
    .map((limit) => {
      const allowed = tier !== undefined && limit.tiers[tier] !== undefined ? limit.tiers[tier] : limit.limit;
      const kind = limit.kind === "rate-limit" ? "Rate limit" : "Quota";
      return `<tr><td>${kind}</td><td>${escapeHtml(limit.name)}</td><td>${escapeHtml(allowed)} per ${escapeHtml(limit.per)}</td><td>${escapeHtml(limit.by ?? "")}</td><td>${limit.operations.map((id) => `<code>${escapeHtml(id)}</code>`).join(", ")}</td></tr>`;
    })
    .join("");
}

function placementText(config: SelfServeConfig): string {
  const placement = config.placement;
  if (!placement) return "";
  const where =
    placement.in === "bearer"
      ? "as <code>Authorization: Bearer &lt;key&gt;</code>"
      : `in the <code>${escapeHtml(placement.name)}</code> ${placement.in === "query" ? "query parameter" : placement.in}`;
  return `<p>Send a key ${where} with each call.</p>`;
}

export function keysBody(config: SelfServeConfig, view: KeysView): string {
  const { session } = view;
  const notice = view.notice ? `<p class="${view.notice.error ? "warning" : "notice"}" role="status">${escapeHtml(view.notice.text)}</p>` : "";
  const issued = view.issued
    ? `<section class="new-key" aria-labelledby="new-key"><h2 id="new-key">Your new key: ${escapeHtml(view.issued.name)}</h2><p>Copy it now: it is not shown again, and only its SHA-256 is stored.${view.issued.previous ? ` ${escapeHtml(view.issued.previous)}` : ""}</p><pre><code data-new-key>${escapeHtml(view.issued.key)}</code></pre></section>`
    : "";
  const rows = view.keys.map((key, i) => keyRow(key, session, i)).join("");
  const table = rows
    ? `<div class="table-wrap"><table><thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead><tbody>${rows}</tbody></table></div>`
    : `<p class="muted">You have no keys yet.</p>`;
  const limits = config.limits.length
    ? `<div class="table-wrap"><table><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Allowed</th><th scope="col">Counted by</th><th scope="col">Operations</th></tr></thead><tbody>${limitRows(config.limits, view.tier)}</tbody></table></div>`
    : `<p class="muted">No rate limit or quota applies.</p>`;
  const usage = view.usage
    ? `<section aria-labelledby="usage"><h2 id="usage">Usage, last 7 days</h2>${
        view.usage.length
          ? `<div class="table-wrap"><table><thead><tr><th scope="col">Operation</th><th scope="col">Requests</th><th scope="col">4xx</th><th scope="col">5xx</th></tr></thead><tbody>${view.usage.map((row) => `<tr><td><code>${escapeHtml(row.group)}</code></td><td>${row.requests}</td><td>${row.status4xx}</td><td>${row.status5xx}</td></tr>`).join("")}</tbody></table></div>`
          : `<p class="muted">No calls yet.</p>`
      }</section>`
    : "";
  return `<h1>My keys</h1>
<p>Signed in as <strong>${escapeHtml(session.name)}</strong> (consumer <code data-consumer>${escapeHtml(session.consumer)}</code>).</p>
<form method="post" action="logout" class="inline-form">${hidden(session, "logout")}<button type="submit">Sign out</button></form>
${notice}${issued}
<section aria-labelledby="create"><h2 id="create">Create a key</h2>
<form method="post" class="inline-form">${hidden(session, "create")}<label for="key-name">Name</label> <input id="key-name" name="name" required maxlength="${MAX_NAME_LENGTH}" placeholder="e.g. production"> <button type="submit">Create key</button></form>
${placementText(config)}</section>
<section aria-labelledby="keys"><h2 id="keys">Your keys</h2>${table}
<p class="muted">Rotating gives a new key and lets the old one work until the time you pick. A revoked key stops working within about a minute (the gateway remembers a key it has checked for up to 60 seconds).</p></section>
<section aria-labelledby="limits"><h2 id="limits">Your tier and limits</h2><p>Tier: <strong data-tier>${escapeHtml(view.tier ?? "default")}</strong></p>${limits}</section>
${usage}`;
}

/** A short page: a message, and where to go next. */
export function messageBody(title: string, text: string, link?: { href: string; text: string }): string {
  return `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>` : ""}`;
}

/** The sign-out page for a GET: a button, since signing out changes state. */
export function logoutBody(session: OpenSession): string {
  return `<h1>Sign out</h1><form method="post" action="logout">${hidden(session, "logout")}<button type="submit">Sign out</button></form>`;
}

/**
 * @module
 * The gateway's answer to a tool's request as an MCP tool result: a 2xx as
 * its content (text, image, audio or an embedded resource) and, for a tool
 * with an output schema, its JSON object as structuredContent; any other
 * status as a result with isError and the problem's detail, which a model
 * can read and act on (MCP: tool execution errors are results, not protocol
 * errors).
 */
import { readBounded } from "../runtime/read-bounded.ts";
import type { McpTool } from "./options.ts";

/** A result larger than this is refused rather than buffered. */
const MAX_RESULT_BYTES = 8 * 1024 * 1024;

type Content =
  | { type: "text"; text: string }
  | { type: "image" | "audio"; data: string; mimeType: string }
  | { type: "resource"; resource: { uri: string; mimeType: string; blob: string } };

export interface ToolResult {
  content: Content[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export const errorResult = (text: string): ToolResult => ({ content: [{ type: "text", text }], isError: true });

function base64(bytes: Uint8Array): string {
  let binary = "";
  // In slices: String.fromCharCode takes its characters as arguments, and those are bounded.
  for (let at = 0; at < bytes.length; at += 0x8000) binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  return btoa(binary);
}

const isJson = (type: string) => /^application\/([\w.+-]*\+)?json\b/i.test(type);
const isText = (type: string) => /^text\/|[/+](json|xml)\b|^application\/(javascript|x-www-form-urlencoded|yaml)\b/i.test(type) || type === "";

/** A refusal's text: status and title, the detail, and each validation error where it is. */
function refusal(status: number, statusText: string, body: string, type: string): string {
  let problem: Record<string, any> | undefined;
  try {
    problem = isJson(type) || type.includes("problem+json") ? JSON.parse(body) : undefined;
  } catch {
    problem = undefined;
  }
  if (!problem || typeof problem !== "object") return `${status} ${statusText}${body ? `: ${body.slice(0, 2000)}` : ""}`.trim();
  const lines = [`${status} ${problem.title ?? statusText}${problem.detail ? `: ${problem.detail}` : ""}`];
  for (const error of Array.isArray(problem.errors) ? problem.errors : []) {
    const where = [error?.in, error?.name ?? error?.pointer].filter((part) => part !== undefined && part !== "").join(" ");
    lines.push(`- ${where ? `${where}: ` : ""}${error?.message ?? JSON.stringify(error)}`);
  }
  return lines.join("\n");
}

export async function toolResult(tool: McpTool, response: Response, url: string): Promise<ToolResult> {
  const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const bytes = await readBounded(response.body, MAX_RESULT_BYTES);
  if (!bytes) return errorResult(`The operation's answer is larger than ${MAX_RESULT_BYTES} bytes, more than a tool result carries.`);
  const location = response.headers.get("location");
  // A redirect handler's answer is what the operation does, not a failure.
  if (response.status >= 300 && response.status < 400 && location) {
    return { content: [{ type: "text", text: `The operation answered ${response.status}, to ${new URL(location, url).href}.` }] };
  }
  if (!response.ok) return errorResult(refusal(response.status, response.statusText, new TextDecoder().decode(bytes), type));
  if (bytes.length === 0) return { content: [{ type: "text", text: `The operation answered ${response.status} with no content.` }] };
  if (!isText(type)) {
    const data = base64(bytes);
    if (type.startsWith("image/") || type.startsWith("audio/"))
      return { content: [{ type: type.startsWith("image/") ? "image" : "audio", data, mimeType: type }] };
    return { content: [{ type: "resource", resource: { uri: url, mimeType: type, blob: data } }] };
  }
  const text = new TextDecoder().decode(bytes);
  if (!tool.outputSchema) return { content: [{ type: "text", text }] };
  // A tool with an output schema owes its client structured content (MCP 2025-06-18 on, and the SDK client checks it).
  let value: unknown;
  try {
    value = isJson(type) ? JSON.parse(text) : undefined;
  } catch {
    value = undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return errorResult(`The operation answered ${response.status} with ${type || "no content type"}, not the JSON object its schema describes.`);
  }
  return { content: [{ type: "text", text }], structuredContent: value as Record<string, unknown> };
}

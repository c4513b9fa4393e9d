/**
 * @module
 * `x-portico.mcp`: the schemas the build checks the document's root and each
 * operation against, and the configuration the build hands the MCP server
 * (src/mcp/index.ts) through the generated app. No run-time code: the
 * compiler reads this file too.
 */

export const DEFAULT_MCP_PATH = "/mcp";
export const DEFAULT_MCP_MAX_BODY_BYTES = 1024 * 1024;

/** RFC 9728 §3.1: a resource's metadata lives at this prefix followed by the resource's path. */
export const RESOURCE_METADATA_PREFIX = "/.well-known/oauth-protected-resource";

/** MCP's own rule for tool names (2025-11-25, "Tool names"). */
export const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export const mcpRootSchema = {
  type: "object",
  description:
    "Serves the API's operations as the tools of a Model Context Protocol server (Streamable HTTP) on the same Worker; each call runs through the operation's own pipeline (docs/mcp.md).",
  properties: {
    path: {
      type: "string",
      pattern: "^/[A-Za-z0-9._~%/-]*$",
      default: DEFAULT_MCP_PATH,
      description: "Where the server answers: an absolute path on the gateway that no document path matches.",
    },
    name: { type: "string", minLength: 1, description: "The server's name in `initialize`. Default: info.title." },
    include: {
      type: "object",
      description: "The operations served as tools: those with one of `tags`, and those in `operations` (by operationId). Default: none.",
      properties: {
        tags: { type: "array", items: { type: "string", minLength: 1 }, description: "Every operation with one of these tags." },
        operations: { type: "array", items: { type: "string", minLength: 1 }, description: "These operations, by operationId." },
      },
      additionalProperties: false,
    },
    origins: {
      type: "array",
      items: { type: "string", pattern: "^https?://[^/?#\\s]+$" },
      description:
        "Browser origins (`https://app.example`) allowed to call the server besides the gateway's own: any other Origin gets 403, as MCP requires against DNS rebinding.",
    },
    maxBodyBytes: {
      type: "integer",
      minimum: 1024,
      default: DEFAULT_MCP_MAX_BODY_BYTES,
      description: "The largest JSON-RPC message (tool arguments included) the server reads; a larger one gets 413.",
    },
  },
  additionalProperties: false,
} as const;

export const mcpOperationSchema = {
  description:
    "This operation as an MCP tool: false leaves it out whatever x-portico.mcp.include says; true or an object serves it (the object renames or redescribes the tool).",
  oneOf: [
    { type: "boolean" },
    {
      type: "object",
      properties: {
        tool: { type: "string", pattern: TOOL_NAME.source, description: "The tool's name. Default: the operationId in snake_case." },
        description: { type: "string", minLength: 1, description: "What the model reads about the tool. Default: the operation's description or summary." },
      },
      additionalProperties: false,
    },
  ],
} as const;

/** Where an argument of a tool goes in the operation's request. */
export interface ToolArgument {
  /** The argument's name in the tool's input schema. */
  arg: string;
  in: "path" | "query" | "header" | "cookie" | "body";
  /** The parameter's name, or the body property's (none: the argument is the whole body). */
  name?: string;
  /** OpenAPI's style and explode, for arrays and objects in the query. */
  style?: string;
  explode?: boolean;
  /** A parameter declared with `content`: its value is sent as JSON text. */
  json?: true;
}

/** One operation as a tool: what tools/list shows, and how a call becomes the operation's request. */
export interface McpTool {
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations: { readOnlyHint?: boolean; destructiveHint?: boolean; idempotentHint?: boolean };
  method: string;
  /** The path template, the base path included. */
  path: string;
  arguments: ToolArgument[];
  /** The body's media type, when the operation takes one. */
  mediaType?: string;
  /** Its security has a bearer scheme with an issuer: a 401 or 403 is the MCP client's cue to sign in (the scopes it asks for). */
  bearerScopes?: string[];
}

/** What the build hands the MCP server. */
export interface McpConfig {
  path: string;
  name: string;
  version: string;
  maxBodyBytes: number;
  origins: string[];
  tools: McpTool[];
  /** Credentials of the MCP request that each tool call carries: headers by name, query parameters by name. */
  credentials: { headers: string[]; query: string[] };
  /** RFC 9728 protected-resource metadata, when a tool's security has a bearer scheme with an issuer (`${env.X}` filled at run time). */
  resource?: { issuers: string[]; scopes: string[] };
}

/** Header names as RFC 9110 tokens. */
const headerName = { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" } as const;

/** Options of the `cors` policy. */
export const options = {
  type: "object",
  properties: {
    origins: {
      type: "array",
      description:
        'Origins allowed to call from a browser: exact origins (`https://app.example.com`, `http://localhost:3000`), one wildcard for subdomains (`https://*.example.com` takes `https://a.example.com` and `https://a.b.example.com`, not `https://example.com`), or `"*"` for any origin (answered with `*`; not with `credentials`). An entry may be `${env.NAME}`, whose value may list several origins separated by commas. Write origins without a path or trailing slash.',
      items: {
        type: "string",
        pattern:
          "^(\\*|[A-Za-z][A-Za-z0-9+.-]*://(\\*\\.)?([A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?|\\$\\{env\\.[A-Za-z_][A-Za-z0-9_]*\\})$",
      },
      minItems: 1,
    },
    allowMethods: {
      type: "array",
      description: "Methods a preflight allows (Access-Control-Allow-Methods). Defaults to the methods the path has in the document.",
      items: { type: "string", pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
      minItems: 1,
    },
    allowHeaders: {
      type: "array",
      description:
        'Request headers a preflight allows (Access-Control-Allow-Headers). `["*"]` allows whatever the browser asks for. Content-Type is needed for JSON bodies, Authorization and X-API-Key for credentials.',
      items: headerName,
      default: ["Authorization", "Content-Type", "X-API-Key", "X-Request-Id"],
    },
    exposeHeaders: {
      type: "array",
      description: "Response headers the calling page may read besides the CORS-safelisted ones (Access-Control-Expose-Headers).",
      items: headerName,
      default: ["RateLimit", "RateLimit-Policy", "Retry-After", "X-Request-Id"],
    },
    credentials: {
      type: "boolean",
      description:
        'Let the browser send cookies and HTTP authentication, and read the answer (Access-Control-Allow-Credentials: true). The caller\'s origin is then echoed, never `*`, and `"*"` may not be among the origins: list them.',
      default: false,
    },
    maxAge: {
      type: "integer",
      description:
        "Seconds a browser may cache a preflight's answer (Access-Control-Max-Age). Browsers cap it (Chromium at 7200, Firefox at 86400); 0 asks for a preflight before every request.",
      minimum: 0,
      default: 600,
    },
  },
  required: ["origins"],
  additionalProperties: false,
} as const;

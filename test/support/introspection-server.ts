/**
 * An RFC 7662 token introspection endpoint, served by the auth test server:
 * opaque tokens issued through its control routes, the gateway's client
 * authentication by HTTP basic, and answers that fail in each way a real
 * endpoint can (slow, not JSON, not RFC 7662, too large, 500). It counts the
 * introspection requests each token causes.
 */
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The gateway's client at the endpoint; the secret reaches the gateway as the INTROSPECTION_SECRET var. */
export const INTROSPECTION_CLIENT = { id: "portico-gateway", secret: "introspection-test-secret" };

/** How the endpoint answers for a token. */
export type Behaviour = "normal" | "slow" | "not-json" | "not-rfc" | "huge" | "error";

interface Issued {
  claims: Record<string, unknown>;
  behaviour: Behaviour;
  revoked: boolean;
  requests: number;
  /** What the last introspection request of this token looked like. */
  last?: { contentType?: string; accept?: string; hint: string | null; params: string[] };
}

const expectedAuthorization = `Basic ${Buffer.from(`${INTROSPECTION_CLIENT.id}:${INTROSPECTION_CLIENT.secret}`).toString("base64")}`;

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** The endpoint and its control routes, with their own token registry. */
export function introspectionRoutes() {
  const tokens = new Map<string, Issued>();
  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
  };

  function answer(res: ServerResponse, issued: Issued | undefined) {
    const active = !!issued && !issued.revoked && !(typeof issued.claims.exp === "number" && issued.claims.exp * 1000 <= Date.now());
    const reply = active ? { active: true, ...issued.claims } : { active: false };
    switch (issued?.behaviour ?? "normal") {
      case "slow": {
        // Far beyond any timeout the gateway uses; dropped when the gateway gives up.
        const timer = setTimeout(() => json(res, 200, reply), 10_000);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      case "not-json":
        return void res.writeHead(200, { "content-type": "text/html" }).end("<html>sign in</html>");
      case "not-rfc":
        return json(res, 200, { ...reply, active: "true" });
      case "huge":
        return json(res, 200, { ...reply, padding: "x".repeat(1024 * 1024) });
      case "error":
        return json(res, 500, { error: "server_error" });
      default:
        return json(res, 200, reply);
    }
  }

  async function introspect(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== "POST") return json(res, 405, { error: "invalid_request" }, { allow: "POST" });
    const text = await body(req);
    if (req.headers.authorization !== expectedAuthorization)
      return json(res, 401, { error: "invalid_client" }, { "www-authenticate": 'Basic realm="introspection"' });
    if (req.headers["content-type"] !== "application/x-www-form-urlencoded") return json(res, 400, { error: "invalid_request" });
    const params = new URLSearchParams(text);
    const token = params.get("token");
    if (!token) return json(res, 400, { error: "invalid_request" });
    const issued = tokens.get(token);
    if (issued) {
      issued.requests++;
      issued.last = { contentType: req.headers["content-type"], accept: req.headers.accept, hint: params.get("token_type_hint"), params: [...params.keys()] };
    }
    answer(res, issued);
  }

  /** Serves /introspect and /control/introspection/…: issue, revoke/<token>, requests/<token>. */
  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (path === "/introspect") return introspect(req, res);
    if (path === "/control/introspection/issue") {
      const { claims = {}, behaviour = "normal" } = JSON.parse((await body(req)) || "{}") as { claims?: Record<string, unknown>; behaviour?: Behaviour };
      const token = randomBytes(24).toString("base64url");
      tokens.set(token, { claims, behaviour, revoked: false, requests: 0 });
      return json(res, 200, { token });
    }
    const [action, token] = path.slice("/control/introspection/".length).split("/");
    const issued = tokens.get(token ?? "");
    if (!issued) return json(res, 404, { error: "no such token" });
    if (action === "revoke") return json(res, 200, { revoked: (issued.revoked = true) });
    json(res, 200, { requests: issued.requests, last: issued.last });
  };
}

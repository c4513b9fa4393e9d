/**
 * GitHub's official REST client, Octokit (`@octokit/rest`, pinned at 22.0.1,
 * the current release), against Portico serving GitHub's own description
 * (test/fixtures/github: `@octokit/openapi` 23.0.2, 1,223 operations) unchanged,
 * with the mock handler and request validation on.
 *
 * Octokit fills templated paths from its parameters, percent-encoding what it
 * puts in one (`contents/src%2Findex.ts`, `git/ref/heads%2Fmain`), and sends
 * JSON bodies with arrays of labels and assignees, a free-form
 * `client_payload` and nested check-run annotations. Every call of a typical
 * integration must be admitted and its mocked answer parsed.
 *
 * The gateway is compiled into test/.generated/github, bundled by wrangler and
 * served by workerd through Miniflare on 127.0.0.1, as the bench serves its
 * gateway (bench/lib). The document declares no security, so no key is sent.
 */
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubDocumentText } from "../support/github-document.ts";
import { serveDocument, type SdkGateway } from "../support/sdk-gateway.ts";

/** What the tests read of Octokit's RequestError (@octokit/request-error, which @octokit/rest does not export). */
type RequestError = Error & { status: number; response?: { headers: Record<string, string>; data: unknown } };

const owner = "octo-org";
const repo = "portico";

let gateway: SdkGateway | undefined;
let octokit: Octokit;

beforeAll(async () => {
  gateway = await serveDocument("github", githubDocumentText(), "openapi.json");
  const { served, answers } = gateway;

  // Every request the client makes, and the status it got, whether or not the client throws.
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    answers.push({ method: init?.method ?? "GET", path: url.pathname + url.search, status: response.status });
    return response;
  };
  octokit = new Octokit({ baseUrl: served.url.href.replace(/\/$/, ""), request: { fetch: recording } });
}, 240_000);

afterAll(async () => {
  await gateway?.close();
});

const admitted = <T>(call: () => Promise<T>) => gateway!.admitted(call);

describe("Octokit against GitHub's description, validated", () => {
  it("gets a repository, and lists an organisation's", async () => {
    const { data } = await admitted(() => octokit.repos.get({ owner, repo }));
    expect(typeof data.id).toBe("number");
    expect(typeof data.full_name).toBe("string");
    const { data: listed } = await admitted(() =>
      octokit.repos.listForOrg({ org: owner, type: "public", sort: "updated", direction: "desc", per_page: 50, page: 2 }),
    );
    expect(Array.isArray(listed)).toBe(true);
  });

  it("creates an issue with labels and assignees, and lists issues with filters", async () => {
    const { data: issue } = await admitted(() =>
      octokit.issues.create({
        owner,
        repo,
        title: "The gateway drops a header",
        body: "Steps to reproduce: …",
        labels: ["bug", { name: "gateway" }],
        assignees: ["octocat", "hubot"],
        milestone: 3,
      }),
    );
    expect(typeof issue.id).toBe("number");
    expect(typeof issue.number).toBe("number");
    const { data: issues } = await admitted(() =>
      octokit.issues.listForRepo({
        owner,
        repo,
        state: "open",
        labels: "bug,gateway",
        assignee: "octocat",
        sort: "updated",
        direction: "asc",
        since: "2026-01-01T00:00:00Z",
        per_page: 100,
      }),
    );
    expect(Array.isArray(issues)).toBe(true);
  });

  it("opens a pull request as a draft, and lists open ones into a base", async () => {
    const { data: pull } = await admitted(() =>
      octokit.pulls.create({
        owner,
        repo,
        title: "Keep the header",
        head: "octocat:keep-header",
        base: "main",
        body: "Fixes #1",
        draft: true,
        maintainer_can_modify: true,
      }),
    );
    expect(typeof pull.id).toBe("number");
    expect(typeof pull.number).toBe("number");
    const { data: pulls } = await admitted(() => octokit.pulls.list({ owner, repo, state: "open", base: "main", sort: "created", per_page: 10 }));
    expect(Array.isArray(pulls)).toBe(true);
  });

  it("reads a file's contents at a path of several segments, on a branch", async () => {
    const before = gateway!.answers.length;
    const { data } = await admitted(() => octokit.repos.getContent({ owner, repo, path: "src/runtime/index.ts", ref: "main" }));
    expect(gateway!.answers[before].path).toBe(`/repos/${owner}/${repo}/contents/src%2Fruntime%2Findex.ts?ref=main`);
    // The document's first example of a file's contents.
    expect(data).toMatchObject({ type: "file", encoding: "base64" });
    expect(typeof (data as { content?: unknown }).content).toBe("string");
  });

  it("gets a branch's reference, and creates one", async () => {
    const before = gateway!.answers.length;
    const { data: ref } = await admitted(() => octokit.git.getRef({ owner, repo, ref: "heads/main" }));
    expect(gateway!.answers[before].path).toBe(`/repos/${owner}/${repo}/git/ref/heads%2Fmain`);
    expect(typeof ref.object.sha).toBe("string");
    const { data: created } = await admitted(() =>
      octokit.git.createRef({ owner, repo, ref: "refs/heads/keep-header", sha: "aa218f56b14c9653891f9e74264a383fa43fefbd" }),
    );
    expect(typeof created.ref).toBe("string");
  });

  it("lists a workflow's runs by its file name, filtered", async () => {
    const { data } = await admitted(() =>
      octokit.actions.listWorkflowRuns({ owner, repo, workflow_id: "ci.yml", branch: "main", event: "push", status: "completed", per_page: 5 }),
    );
    expect(typeof data.total_count).toBe("number");
    expect(Array.isArray(data.workflow_runs)).toBe(true);
    // workflow_id is the workflow's file name or its number.
    const { data: byId } = await admitted(() => octokit.actions.listWorkflowRuns({ owner, repo, workflow_id: 161335, created: "2026-11-01T00:00:00Z" }));
    expect(Array.isArray(byId.workflow_runs)).toBe(true);
  });

  it("searches repositories with qualifiers", async () => {
    const { data } = await admitted(() => octokit.search.repos({ q: "gateway language:typescript stars:>10", sort: "stars", order: "desc", per_page: 20 }));
    expect(typeof data.total_count).toBe("number");
    expect(Array.isArray(data.items)).toBe(true);
  });

  it("dispatches a repository event with a nested client_payload", async () => {
    const { status } = await admitted(() =>
      octokit.repos.createDispatchEvent({
        owner,
        repo,
        event_type: "deploy",
        client_payload: { environment: "staging", unit: false, targets: [{ region: "eu", weight: 0.5 }], meta: { by: { login: "octocat" } } },
      }),
    );
    expect(status).toBe(204);
  });

  it("creates a completed check run whose output carries annotations", async () => {
    const { data } = await admitted(() =>
      octokit.checks.create({
        owner,
        repo,
        name: "lint",
        head_sha: "aa218f56b14c9653891f9e74264a383fa43fefbd",
        status: "completed",
        conclusion: "neutral",
        completed_at: "2026-12-03T12:00:00Z",
        output: {
          title: "2 warnings",
          summary: "Lint found **2** warnings.",
          annotations: [
            { path: "src/index.ts", start_line: 3, end_line: 3, annotation_level: "warning", message: "Unused import", title: "no-unused" },
            { path: "src/worker.ts", start_line: 10, end_line: 12, start_column: 1, end_column: 1, annotation_level: "notice", message: "Long function" },
          ],
        },
        actions: [{ label: "Fix", description: "Apply the fixes", identifier: "fix" }],
      }),
    );
    expect(typeof data.id).toBe("number");
    expect(typeof data.head_sha).toBe("string");
  });

  it("refuses an issue without a title with a problem, which Octokit throws as a RequestError", async () => {
    const before = gateway!.answers.length;
    const error = await octokit.issues
      .create({ owner, repo, body: "no title" } as unknown as Parameters<Octokit["issues"]["create"]>[0])
      .catch((caught: unknown) => caught);
    expect(gateway!.answers.splice(before).map((answer) => answer.status)).toEqual([400]);
    // Octokit's RequestError is named HttpError.
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe("HttpError");
    const { status, response } = error as RequestError;
    expect(status).toBe(400);
    expect(response?.headers["content-type"]).toMatch(/^application\/problem\+json/);
    // Octokit parses only application/json (and scim+json) bodies: it keeps the problem's bytes as they came.
    const problem = JSON.parse(Buffer.from(response?.data as ArrayBuffer).toString("utf8")) as { status: number; errors: unknown[] };
    expect(problem.status).toBe(400);
    expect(problem.errors).toEqual([{ in: "body", pointer: "/title", message: "is required" }]);
  });

  // GitHub clears an issue's milestone with `milestone: null`, and Octokit's types (made from this document) allow
  // it. The document writes the field `{ oneOf: [string, integer], nullable: true }`; OpenAPI 3.0.3 has `nullable`
  // add null only to a `type` in the same schema, and neither branch takes null, so Portico refuses it, as 3.0.3 reads.
  it("refuses milestone: null, as OpenAPI 3.0.3 reads a nullable oneOf without a type", async () => {
    const before = gateway!.answers.length;
    const error = await octokit.issues.update({ owner, repo, issue_number: 5, milestone: null }).catch((caught: unknown) => caught);
    expect(gateway!.answers.splice(before).map((answer) => answer.status)).toEqual([400]);
    const problem = JSON.parse(Buffer.from((error as RequestError).response?.data as ArrayBuffer).toString("utf8")) as { errors: Array<{ pointer: string }> };
    expect(new Set(problem.errors.map((entry) => entry.pointer))).toEqual(new Set(["/milestone"]));
  });

  it("was refused nothing else: no request of the client got a 4xx", () => {
    expect(gateway!.answers.length).toBeGreaterThanOrEqual(14);
    expect(gateway!.answers.filter((answer) => answer.status >= 400)).toEqual([]);
  });
});

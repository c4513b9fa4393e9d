import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { schemaChecks } from "../../test/support/schema-checks.ts";
import { codeSamples } from "./code-samples.ts";
import { sampleRequest } from "./sample-request.ts";
import { useChecks } from "./examples.ts";
import { operationModel } from "./operation-model.ts";
import { requestBodies } from "./sample-body.ts";
import { tryItForm } from "./try-it.ts";

const fixture = (path: string) => gunzipSync(readFileSync(fileURLToPath(new URL(`../../test/fixtures/${path}`, import.meta.url).href))).toString("utf8");
const stripe = () => parse(fixture("stripe/spec3.trimmed.yaml.gz")) as Record<string, any>;
const openai = () => JSON.parse(fixture("openai/openapi.trimmed.json.gz")) as Record<string, any>;

function modelOf(document: Record<string, any>, path: string, method: string) {
  const item = document.paths[path];
  return operationModel(document, item[method].operationId ?? `${method}-${path}`, method, path, item, item[method]);
}

/** The samples' labels and code, as a reader sees them (highlighting spans left out). */
function samplesOf(html: string): Array<{ label: string; code: string; open: boolean; copy: string }> {
  const text = (markup: string) =>
    markup
      .replace(/<[^>]*>/g, "")
      .replaceAll("&lt;", "<")
      .replaceAll("&gt;", ">")
      .replaceAll("&quot;", '"')
      .replaceAll("&#39;", "'")
      .replaceAll("&amp;", "&");
  return [
    ...html.matchAll(
      /<details class="sample"( open)?><summary>(.*?)<\/summary><div class="sample-code">(<button[^>]*>Copy<\/button>)<pre>(.*?)<\/pre><\/div><\/details>/gs,
    ),
  ].map(([, open, label, copy, code]) => ({
    label: text(label),
    code: text(code),
    open: Boolean(open),
    copy,
  }));
}

/** A form body's pairs as curl sends them with --data-urlencode (curl encodes the value, the name is sent as written). */
const curlPairs = (code: string) => [...code.matchAll(/--data-urlencode '([^=']*)=([^']*)'/g)].map(([, name, value]) => [decodeURIComponent(name), value]);

const FORMS = `
openapi: 3.1.0
info: { title: Forms, version: "1" }
servers: [{ url: "https://api.example.com/v2" }]
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Thing" }
          application/x-www-form-urlencoded:
            schema: { $ref: "#/components/schemas/Thing" }
            example: { name: lamp, tags: [a, b], filter: { color: red }, meta: { k: 1 } }
            encoding:
              tags: { style: form, explode: false }
              filter: { style: deepObject, explode: true }
              meta: { contentType: application/json }
      responses: { "201": { description: made } }
  /files:
    post:
      operationId: uploadFile
      x-codeSamples:
        - { lang: cURL, label: Own curl, source: "curl -F file=@photo.png https://api.example.com/v2/files" }
        - $ref: "#/components/x-samples/python"
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, purpose]
              properties:
                file: { type: string, format: binary }
                purpose: { type: string, enum: [avatar, banner] }
            encoding:
              file: { contentType: image/png }
      responses: { "201": { description: stored } }
  /legacy:
    get:
      operationId: legacy
      x-code-samples: [{ lang: Shell, source: "curl https://api.example.com/v2/legacy" }]
      responses: { "200": { description: ok } }
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: { type: string }
        tags: { type: array, items: { type: string } }
        filter: { type: object, additionalProperties: { type: string } }
        meta: { type: object }
  x-samples:
    python: { lang: Python, source: "client.files.create(file=open('photo.png', 'rb'))" }
`;

describe("code samples", () => {
  it("writes a Stripe POST's body form-urlencoded, deepObject brackets included, in eight languages with a copy button each", () => {
    const document = stripe();
    const samples = samplesOf(codeSamples(document, modelOf(document, "/v1/customers", "post")));
    expect(samples.map((sample) => sample.label)).toEqual(["curl", "JavaScript", "Python", "Go", "Java", "C#", "PHP", "Ruby"]);
    expect(samples[0].open).toBe(true);
    // The button shows once the script runs; without JavaScript the code is there to select.
    for (const sample of samples) expect(sample.copy).toMatch(/data-copy hidden aria-label="Copy the .+ sample"/);
    const curl = samples[0].code;
    expect(curl).toContain("--header 'Content-Type: application/x-www-form-urlencoded'");
    expect(curl).toContain("--header 'Authorization: Basic BASE64_OF_USER_COLON_PASSWORD'");
    const pairs = curlPairs(curl);
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.map(([name]) => name)).toContain("address[city]");
    expect(samples[2].code).toMatch(/data=\{\s*"address\[city\]": "[^"]*"/);
    expect(samples[4].code).toContain('new FormBody.Builder()\n  .add("address[city]"');
  });

  it("follows the media type's encoding object: unexploded lists, deepObject, JSON parts", () => {
    const document = parse(FORMS) as Record<string, any>;
    const model = modelOf(document, "/things", "post");
    const form = requestBodies(document, model.operation).find((body) => body.kind === "form")!;
    expect((sampleRequest(document, model, form).postData as { params: unknown }).params).toEqual([
      { name: "name", value: "lamp" },
      { name: "tags", value: "a,b" },
      { name: "filter[color]", value: "red" },
      { name: "meta", value: '{"k":1}' },
    ]);
  });

  it("gives every other media type the operation accepts a curl sample of its own", () => {
    const document = parse(FORMS) as Record<string, any>;
    const samples = samplesOf(codeSamples(document, modelOf(document, "/things", "post")));
    expect(samples[0].code).toContain("--header 'Content-Type: application/json'");
    const form = samples.find((sample) => sample.label === "curl, application/x-www-form-urlencoded")!;
    expect(curlPairs(form.code)).toEqual([
      ["name", "lamp"],
      ["tags", "a,b"],
      ["filter[color]", "red"],
      ["meta", '{"k":1}'],
    ]);
  });

  it("sends multipart parts, files from disk, and leaves the Content-Type (with its boundary) to the client", () => {
    const document = parse(FORMS) as Record<string, any>;
    // Without the document's own curl and Python, which take the place of ours.
    delete document.paths["/files"].post["x-codeSamples"];
    const samples = samplesOf(codeSamples(document, modelOf(document, "/files", "post")));
    const curl = samples.find((sample) => sample.label === "curl")!.code;
    expect(curl).toContain("--form 'file=@file.png;type=image/png'");
    expect(curl).toMatch(/--form 'purpose=(avatar|banner)'/);
    expect(curl).not.toMatch(/Content-Type/i);
    expect(samples.filter((sample) => sample.label === "Python").at(-1)!.code).toContain(
      'files=[\n      ("file", ("file.png", open("file.png", "rb"), "image/png"))',
    );
  });

  it("shows the document's own samples first, x-codeSamples and x-code-samples, $refs followed, ours only in the other languages", () => {
    const document = parse(FORMS) as Record<string, any>;
    const files = samplesOf(codeSamples(document, modelOf(document, "/files", "post")));
    expect(files.map(({ label, open }) => [label, open])).toEqual([
      ["Own curl", true],
      ["Python", false],
      ["JavaScript", false],
      ["Go", false],
      ["Java", false],
      ["C#", false],
      ["PHP", false],
      ["Ruby", false],
    ]);
    expect(files[1].code).toBe("client.files.create(file=open('photo.png', 'rb'))");
    const legacy = samplesOf(codeSamples(document, modelOf(document, "/legacy", "get")));
    expect(legacy[0]).toMatchObject({ label: "Shell", code: "curl https://api.example.com/v2/legacy", open: true });
  });

  it("sends OpenAI's chat completion a body its schema accepts, not {}", () => {
    const document = openai();
    const checks = schemaChecks(document);
    useChecks(document, checks);
    const request = sampleRequest(
      document,
      modelOf(document, "/chat/completions", "post"),
      requestBodies(document, document.paths["/chat/completions"].post)[0],
    );
    const body = JSON.parse((request.postData as { text: string }).text);
    expect(Object.keys(body)).toEqual(expect.arrayContaining(["model", "messages"]));
    expect(body.messages.length).toBeGreaterThan(0);
    expect(checks("/components/schemas/CreateChatCompletionRequest", "request")!(body)).toEqual([]);
    const curl = samplesOf(codeSamples(document, modelOf(document, "/chat/completions", "post")))[0].code;
    expect(curl).toContain('"messages": [');
    expect(curl).not.toContain("--data '{}'");
  });
});

describe("the try-it form's body", () => {
  it("edits a form body a pair a line, and a multipart one a field per part with a file input", () => {
    const document = parse(FORMS) as Record<string, any>;
    const things = tryItForm(document, modelOf(document, "/things", "post"));
    // JSON first (the media type samples use), the form one a choice away.
    expect(things).toMatch(
      /<select [^>]*name="content-type" data-body-select><option>application\/json<\/option><option>application\/x-www-form-urlencoded<\/option><\/select>/,
    );
    expect(things).toContain('data-body-for="application/x-www-form-urlencoded" data-body-kind="form" hidden');
    expect(things).toContain(">name=lamp\ntags=a,b\nfilter[color]=red\nmeta={&quot;k&quot;:1}</textarea>");
    const files = tryItForm(document, modelOf(document, "/files", "post"));
    expect(files).toContain('data-body-kind="multipart"');
    expect(files).toMatch(/<input id="[^"]+" type="file" name="part.file">/);
    expect(files).toMatch(/<input id="[^"]+" name="part.purpose" value="(avatar|banner)">/);
  });

  it("fills a Stripe POST's body with pairs that meet its schema", () => {
    const document = stripe();
    const form = tryItForm(document, modelOf(document, "/v1/customers", "post"));
    const text = /data-body-kind="form"><div class="field"><label[^>]*>.*?<\/label><textarea[^>]*>([^<]*)<\/textarea>/s.exec(form)![1];
    expect(text.split("\n").length).toBeGreaterThan(0);
    expect(text).toMatch(/^address\[city\]=/m);
  });
});

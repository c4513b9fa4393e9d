import { describe, expect, it } from "vitest";
import { navigation } from "./navigation.ts";
import { collectOperations, groupsOf, linkServedPages, operationTitle } from "./site.ts";

describe("the portal's pages and groups", () => {
  it("groups a document without tags by the first path segment after the one every path shares", () => {
    const document = {
      paths: {
        "/v1/customers": { get: { operationId: "GetCustomers" }, post: { operationId: "PostCustomers" } },
        "/v1/customers/{customer}": { get: { operationId: "GetCustomersCustomer" } },
        "/v1/checkout/sessions": { post: { operationId: "PostCheckoutSessions" } },
        "/v1/prices": { post: { operationId: "PostPrices" } },
      },
    };
    const groups = groupsOf(document, collectOperations(document));
    expect(groups.map((group) => [group.name, group.operations.map((op) => op.id)])).toEqual([
      ["customers", ["GetCustomers", "PostCustomers", "GetCustomersCustomer"]],
      ["checkout", ["PostCheckoutSessions"]],
      ["prices", ["PostPrices"]],
    ]);
    // One path of a parameter alone still names its group by the literal segment before it.
    expect(groupsOf({ paths: { "/v1/models/{model}": { get: {} } } }, collectOperations({ paths: { "/v1/models/{model}": { get: {} } } }))[0].name).toBe(
      "models",
    );
  });

  it("lists declared tags first, in the document's order, and gives every operation a page name no other has", () => {
    const document = {
      tags: [{ name: "b", description: "Bees." }, { name: "a" }],
      paths: {
        "/x": { get: { operationId: "same name", tags: ["a"] }, put: { operationId: "same/name", tags: ["b"] } },
        "/index": { get: { operationId: "index", tags: ["a"] } },
      },
    };
    const operations = collectOperations(document);
    expect(operations.map((op) => op.slug)).toEqual(["same-name", "same-name_", "index_"]);
    expect(groupsOf(document, operations).map((group) => [group.name, group.description])).toEqual([
      ["b", "Bees."],
      ["a", undefined],
    ]);
  });

  it("names an operation by a one-line summary, not by a paragraph written there", () => {
    expect(operationTitle("List **all** customers")).toBe("List all customers");
    expect(operationTitle("**Starting a new project?** We recommend trying Responses\nto take advantage")).toBeUndefined();
    expect(operationTitle("x".repeat(81))).toBeUndefined();
  });

  it("links pages by the URLs Workers Static Assets serve them at, leaving other links as written", () => {
    const html =
      '<a href="../schemas/Pet.html">Pet</a> <a href="index.html#auth">auth</a> <a href="../index.html">home</a> ' +
      '<a href="schemas/index.html">all</a> <a href="https://example.com/a.html">out</a> <a href="/elsewhere/b.html">b</a>';
    expect(linkServedPages(html)).toBe(
      '<a href="../schemas/Pet">Pet</a> <a href="./#auth">auth</a> <a href="../">home</a> ' +
        '<a href="schemas/">all</a> <a href="https://example.com/a.html">out</a> <a href="/elsewhere/b.html">b</a>',
    );
  });

  it("opens the page's tag in the sidebar with its operations, and marks the page itself", () => {
    const document = {
      tags: [{ name: "Exhibits" }, { name: "Tickets" }],
      paths: {
        "/exhibits": { get: { operationId: "listExhibits", summary: "List exhibits", tags: ["Exhibits"] } },
        "/exhibits/{id}": { delete: { operationId: "removeExhibit", tags: ["Exhibits"] } },
        "/tickets": { post: { operationId: "buyTicket", summary: "Buy a ticket", tags: ["Tickets"] } },
      },
    };
    const groups = groupsOf(document, collectOperations(document));
    const nav = navigation({ groups, guides: [], hasWebhooks: false }, "../", "operations/listExhibits", "Exhibits");
    expect(nav).toContain('<a href="listExhibits" class="op get" aria-current="page">List exhibits</a>');
    expect(nav).toContain('<a href="removeExhibit" class="op delete">/exhibits/{id}</a>');
    expect(nav).toContain('<a href="../tags/Tickets">Tickets</a></li>');
    expect(nav).not.toContain("buyTicket");
    expect(nav.match(/aria-current/g)).toHaveLength(1);
    const home = navigation({ groups, guides: [], hasWebhooks: false }, "", "", undefined);
    expect(home).toContain('<a href="./" aria-current="page">Overview</a>');
    expect(home).not.toContain("listExhibits");
  });

  it("lists only the page itself under its tag in an API of many tags, for search.js to complete", () => {
    const tags = Array.from({ length: 30 }, (_, i) => ({ name: `t${i}` }));
    const document = {
      tags,
      paths: Object.fromEntries([
        ...["a", "b", "c"].map((name) => [`/t0/${name}`, { get: { operationId: `get-${name}`, summary: `Get ${name}`, tags: ["t0"] } }]),
        ...tags.slice(1).map((tag) => [`/${tag.name}`, { get: { operationId: `list-${tag.name}`, tags: [tag.name] } }]),
      ]),
    };
    const groups = groupsOf(document, collectOperations(document));
    const nav = navigation({ groups, guides: [], hasWebhooks: false }, "../", "operations/get-b", "t0");
    expect(nav).toContain(
      '<li class="open"><a href="../tags/t0">t0</a><ul data-tag-operations><li><a href="get-b" class="op get" aria-current="page">Get b</a></li></ul></li>',
    );
    expect(nav).not.toContain("get-a");
    expect(nav).not.toContain("../tags/t1");
    expect(nav).toContain('<a href="../#sections">All 30 tags</a>');
    // The tag's own page lists its operations in its content: the sidebar marks the tag.
    const tagPage = navigation({ groups, guides: [], hasWebhooks: false }, "../", "tags/t0", "t0");
    expect(tagPage).toContain('<li class="open"><a href="t0" aria-current="page">t0</a></li>');
  });
});

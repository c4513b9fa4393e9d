// Gives pull-request previews their CONSUMERS KV namespace. `wrangler deploy` creates a
// missing namespace by itself, `wrangler preview` does not: a preview binds KV by id only,
// and the id belongs to the account, so it cannot be written in the repository for
// everyone. This finds the namespace by title (creating it the first time) and adds the
// binding to this checkout's wrangler.toml. A wrangler.toml that already binds CONSUMERS
// for the previews, with an id of its own, is left as it is.
//
//   node .github/scripts/bind-preview-consumers.mjs [environment] [namespace title]
import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { unstable_readConfig } from "wrangler";

const [environment = "staging", title = "portico-gateway-previews-consumers"] = process.argv.slice(2);
const binding = "CONSUMERS";

const config = unstable_readConfig({ config: "wrangler.toml", env: environment }, { hideWarnings: true });
const bound = config.previews?.kv_namespaces?.find((kv) => kv.binding === binding && kv.id);
if (bound) {
  console.log(`wrangler.toml binds ${binding} for the ${environment} previews to ${bound.id} already.`);
  process.exit(0);
}

function wrangler(...args) {
  try {
    return execFileSync("npx", ["wrangler", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  } catch (error) {
    console.error(`\`wrangler ${args.join(" ")}\` failed; its error is above.`);
    process.exit(error.status || 1);
  }
}
function findId() {
  const listed = wrangler("kv", "namespace", "list");
  // The list is JSON; anything wrangler prints around it (a notice, a warning) is not.
  const namespaces = JSON.parse(listed.slice(listed.indexOf("["), listed.lastIndexOf("]") + 1));
  return namespaces.find((namespace) => namespace.title === title)?.id;
}

let id = findId();
if (!id) {
  console.log(`Creating the KV namespace ${title} for the previews' consumers.`);
  wrangler("kv", "namespace", "create", title);
  id = findId();
}
if (!id) {
  console.error(`The KV namespace ${title} was created but does not appear in \`wrangler kv namespace list\`.`);
  process.exit(1);
}

appendFileSync("wrangler.toml", `\n[[env.${environment}.previews.kv_namespaces]]\nbinding = "${binding}"\nid = "${id}"\n`);
console.log(`Previews of ${config.name} bind ${binding} to ${title} (${id}).`);

#!/usr/bin/env node
// Checked before any TypeScript loads: an older Node fails on the .ts files with no word of why.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(
    `portico needs Node 24 or later, and this is Node ${process.versions.node}: run it as \`npx portico\` or through the npm scripts (\`npm run dev\`, \`npm run build\`), which use the project's own Node 24.`,
  );
  process.exit(1);
}
// Installed as a package, under node_modules, Node strips no types: there the CLI runs the
// JavaScript `npm pack` compiled into dist-pkg/ (scripts/build-package.ts); here, src/ itself.
const installed = new URL(import.meta.url).pathname.split("/").includes("node_modules");
const { main } = await import(installed ? "../dist-pkg/cli/main.js" : "../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

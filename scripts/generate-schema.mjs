// Writes schema/pipeline.schema.json and docs/configuration.md from the TypeBox schema in src/config.
// Run through `npm run schema` (which builds first); test/config/schema-drift.test.ts fails when they are stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderConfigurationDocs, renderPipelineSchemaJson } from "../lib/src/config/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outputs = {
  "schema/pipeline.schema.json": renderPipelineSchemaJson(),
  "docs/configuration.md": renderConfigurationDocs(),
};
for (const [path, text] of Object.entries(outputs)) {
  mkdirSync(dirname(resolve(root, path)), { recursive: true });
  writeFileSync(resolve(root, path), text);
  console.log(`wrote ${path}`);
}

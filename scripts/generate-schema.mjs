// Writes schema/pipeline.schema.json, docs/configuration.md and the precompiled validator the loader
// imports (src/config/generated/pipeline-validator.ts) from the TypeBox schema in src/config.
// Run through `npm run schema` (which builds first); test/config/schema-drift.test.ts fails when they are stale.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { renderConfigurationDocs, renderPipelineSchemaJson } from "../lib/src/config/index.js";
import {
  pipelineValidatorPath,
  renderPipelineValidator,
} from "../lib/src/config/render-pipeline-validator.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outputs = {
  "schema/pipeline.schema.json": renderPipelineSchemaJson(),
  "docs/configuration.md": renderConfigurationDocs(),
  [pipelineValidatorPath]: renderPipelineValidator(),
};
for (const [path, text] of Object.entries(outputs)) {
  mkdirSync(dirname(resolve(root, path)), { recursive: true });
  writeFileSync(resolve(root, path), text);
  console.log(`wrote ${path}`);
}

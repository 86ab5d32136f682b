import { writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { buildOpenApiDocument, SNAPSHOT_FILE, snapshotJson } from './openapi-document';

/**
 * Writes openapi/openapi.json, the committed snapshot of the document /docs-json serves: keys
 * sorted, printed as the repository's Prettier prints JSON (so `prettier --check .` agrees).
 */
async function main(): Promise<void> {
  const json = snapshotJson(await buildOpenApiDocument());
  const options = await resolveConfig(SNAPSHOT_FILE);
  writeFileSync(SNAPSHOT_FILE, await format(json, { ...options, parser: 'json' }));
  console.error(`Wrote ${SNAPSHOT_FILE}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_FILE } from './assets.ts';
import { buildOpenApiDocument } from './document.ts';
import { generateTypes } from './typegen/index.ts';

/**
 * `npm run openapi`: writes the OpenAPI document (api/openapi.json) and the client's types (api/schema.ts)
 * from the code. Both are committed so integrators can read them; tests fail when either is stale.
 */

export { DOCUMENT_FILE };
export const TYPES_FILE = fileURLToPath(new URL('./schema.ts', import.meta.url));

/** The document as committed: two-space JSON with a final newline. */
export const renderDocument = (): string => `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;

/** The client types as committed. */
export const renderTypes = (): Promise<string> => generateTypes(buildOpenApiDocument());

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(DOCUMENT_FILE, renderDocument());
  await writeFile(TYPES_FILE, await renderTypes());
  console.log(`Wrote ${DOCUMENT_FILE} and ${TYPES_FILE}`);
}

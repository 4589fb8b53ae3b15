import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Files the docs function serves, for whoever ships them: the stack copies them next to the function's
 * bundle, the local runtime reads them where they are.
 */

/** The committed OpenAPI document (`npm run openapi` writes it). */
export const DOCUMENT_FILE = fileURLToPath(new URL('./openapi.json', import.meta.url));

/** Scalar's standalone browser bundle: one self-contained script that renders an OpenAPI document. */
export const scalarBundleFile = (): string =>
  join(dirname(fileURLToPath(import.meta.resolve('@scalar/api-reference'))), 'browser', 'standalone.js');

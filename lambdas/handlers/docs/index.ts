import { fileURLToPath } from 'node:url';
import { createDocsHandler } from './handler.ts';

/**
 * Entry point of the docs function. The stack copies api/openapi.json and Scalar's bundle next to this
 * module's bundle (lib/api-docs.ts), so they are read from the function's own directory.
 */
export const handler = createDocsHandler({
  documentFile: fileURLToPath(new URL('./openapi.json', import.meta.url)),
  scalarBundleFile: fileURLToPath(new URL('./scalar.js', import.meta.url)),
});

import openapiTS, { astToString } from 'openapi-typescript';

/**
 * TypeScript types for the OpenAPI document, as openapi-fetch expects them. This module lives here so that
 * openapi-typescript resolves the TypeScript 5 compiler API installed beside it (the repo compiles with
 * TypeScript 7, which has no compiler API).
 */
export const generateTypes = async (document: object): Promise<string> => {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false });
  return `/** Generated from api/openapi.json by \`npm run openapi\`: do not edit. */\n\n${astToString(ast)}`;
};

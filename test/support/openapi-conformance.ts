import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Middleware } from 'openapi-fetch';
import { matchPath } from '../../lambdas/handlers/api/routes.ts';

/**
 * Checks real API responses against the committed OpenAPI document (api/openapi.json, itself checked
 * against the code by test/unit/openapi-document.test.ts): the status must be documented for the route,
 * and the body must match the schema documented for it. The test helpers run every response through it,
 * so every e2e test doubles as a conformance test.
 */

const DOCUMENT_URL = new URL('../../api/openapi.json', import.meta.url);
const document = JSON.parse(readFileSync(DOCUMENT_URL, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
};

// The document is registered whole so `$ref`s into components resolve; `strict: false` because an
// OpenAPI document is not itself a JSON Schema (ajv would refuse keywords like `paths`).
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(document, 'openapi');

const pointer = (...parts: string[]): string =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** What did not conform, or undefined when the response matches the document. */
export const conformanceProblem = (
  method: string,
  rawPath: string,
  status: number,
  body: unknown,
): string | undefined => {
  let match: ReturnType<typeof matchPath>[number] | undefined;
  try {
    match = matchPath(rawPath).find((candidate) => candidate.route.method === method.toUpperCase());
  } catch {
    match = undefined;
  }
  const where = `${method} ${rawPath} → ${status}`;
  // A path or method no route serves: answered by `$default` with the error shape (404, 405, 401...).
  const template = match?.route.path;
  const verb = method.toLowerCase();
  const responses = template ? document.paths[template]?.[verb]?.responses : undefined;
  if (!template || !responses) {
    if (status < 400) return `${where}: success from an undocumented route`;
    return validate(`${where}`, 'openapi#/components/schemas/GatewayError', body);
  }
  const response = responses[String(status)];
  if (!response) return `${where}: status not documented (documented: ${Object.keys(responses).join(', ')})`;
  if (!response.content?.['application/json']) return undefined;
  const ref = `openapi#/${pointer('paths', template, verb, 'responses', String(status), 'content', 'application/json', 'schema')}`;
  return validate(where, ref, body);
};

const validate = (where: string, ref: string, body: unknown): string | undefined => {
  const check = ajv.getSchema(ref);
  if (!check) return `${where}: no schema at ${ref}`;
  if (check(body)) return undefined;
  return `${where}: body does not match the document: ${ajv.errorsText(check.errors)}\n${JSON.stringify(body)?.slice(0, 500)}`;
};

/** Throws when the response does not conform to the document. */
export const assertConforms = (method: string, rawPath: string, status: number, body: unknown): void => {
  const problem = conformanceProblem(method, rawPath, status, body);
  if (problem) throw new Error(`OpenAPI conformance: ${problem}`);
};

/** openapi-fetch middleware that checks every response of the typed client against the document. */
export const conformanceMiddleware: Middleware = {
  onResponse: async ({ request, response }) => {
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    assertConforms(request.method, new URL(request.url).pathname, response.status, body);
    return response;
  },
};

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, renderDocument, renderTypes, TYPES_FILE } from '../../api/generate.ts';
import { ROUTES } from '../../lambdas/handlers/api/routes.ts';
import { conformanceProblem } from '../support/openapi-conformance.ts';

const STALE = 'is stale: run `npm run openapi` and commit the result';

describe('the OpenAPI document', () => {
  const document = JSON.parse(renderDocument());

  it('describes every route of ROUTES with its method and its scope', () => {
    for (const route of ROUTES) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path}`).toBeDefined();
      expect(operation.operationId).toBe(route.name);
      expect(operation.security).toEqual([{ bearerJwt: [route.scope] }]);
    }
    const operations = Object.values(document.paths).flatMap((item) => Object.keys(item as object));
    expect(operations).toHaveLength(ROUTES.length);
  });

  it('documents the error shape on every 4xx and 5xx of every route', () => {
    for (const [path, item] of Object.entries<Record<string, { responses: Record<string, unknown> }>>(
      document.paths,
    )) {
      for (const [method, operation] of Object.entries(item)) {
        const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
        expect(
          errors.map(([status]) => status),
          `${method} ${path}`,
        ).toEqual(expect.arrayContaining(['401', '403', '429', '500', '503']));
        for (const [status, response] of errors) {
          const schema = (response as { content: Record<string, { schema: { $ref: string } }> }).content[
            'application/json'
          ]?.schema.$ref;
          expect(schema, `${method} ${path} ${status}`).toMatch(
            /^#\/components\/schemas\/(Error|DestinationError|GatewayError)$/,
          );
        }
      }
    }
    expect(document.components.schemas.Error.required).toEqual(['error_code', 'message', 'request_id']);
  });

  it('is committed as api/openapi.json, up to date', async () => {
    expect(await readFile(DOCUMENT_FILE, 'utf8'), `api/openapi.json ${STALE}`).toBe(renderDocument());
  });

  it("is committed with the client's types as api/schema.ts, up to date", async () => {
    expect(await readFile(TYPES_FILE, 'utf8'), `api/schema.ts ${STALE}`).toBe(await renderTypes());
  });
});

describe('the conformance check the test helpers apply to every response', () => {
  const integrations = ROUTES.find((route) => route.name === 'listIntegrations')?.path ?? '';

  it('accepts a documented status with a matching body', () => {
    expect(conformanceProblem('GET', integrations, 200, { integrations: [] })).toBeUndefined();
  });

  it('refuses a status the route does not document', () => {
    expect(
      conformanceProblem('GET', integrations, 409, { error_code: 'x', message: 'y', request_id: 'z' }),
    ).toMatch(/status not documented/);
  });

  it('refuses a body that does not match, such as an undocumented field', () => {
    expect(conformanceProblem('GET', integrations, 200, { integrations: [], extra: 1 })).toMatch(
      /does not match/,
    );
    expect(conformanceProblem('GET', integrations, 500, { message: 'no code' })).toMatch(/does not match/);
  });
});

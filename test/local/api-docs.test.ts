import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, scalarBundleFile } from '../../api/assets.ts';
import { API_BASE, DOCS_PATH, OPENAPI_PATH } from '../../lambdas/handlers/api/routes.ts';
import { createDocsHandler } from '../../lambdas/handlers/docs/handler.ts';
import { type ApiServer, startApiServer } from '../../local/api-server.ts';
import { createLocalAuth } from '../../local/auth.ts';

/**
 * The published description as the local runtime serves it (the same docs handler the stack deploys):
 * no token needed, and a reference page that loads nothing from another host.
 */
let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({
    handler: async () => ({ statusCode: 200, body: '{}' }),
    publicHandler: createDocsHandler({ documentFile: DOCUMENT_FILE, scalarBundleFile: scalarBundleFile() }),
    auth: await createLocalAuth(),
    log: () => {},
  });
});

afterAll(async () => {
  await server?.stop();
});

describe('the API description', () => {
  it('serves the committed OpenAPI document without a token', async () => {
    const response = await fetch(`${server.url}${OPENAPI_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe(await readFile(DOCUMENT_FILE, 'utf8'));
  });

  it('still asks a token of every API route', async () => {
    const response = await fetch(`${server.url}${API_BASE}`);
    expect(response.status).toBe(401);
  });

  it('serves a reference page whose every script and stylesheet comes from us, with a same-origin policy', async () => {
    const page = await fetch(`${server.url}${DOCS_PATH}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("font-src 'self' data:");

    const html = await page.text();
    const references = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((match) => match[1]);
    expect(references.length).toBeGreaterThanOrEqual(2);
    for (const reference of references) {
      const url = new URL(reference ?? '', `${server.url}${DOCS_PATH}`);
      expect(url.origin, reference).toBe(server.url);
      const asset = await fetch(url);
      expect(asset.status, reference).toBe(200);
      expect(asset.headers.get('content-type'), reference).toMatch(/^text\/javascript/);
      expect((await asset.text()).length, reference).toBeGreaterThan(0);
    }
  });

  it('starts Scalar on our document with its web fonts and telemetry off', async () => {
    const init = await (await fetch(`${server.url}${DOCS_PATH}/init.js`)).text();
    expect(init).toContain(`"url":"${OPENAPI_PATH}"`);
    expect(init).toContain('"withDefaultFonts":false');
    expect(init).toContain('"telemetry":false');
  });

  it('serves the 4.7 MB Scalar bundle gzipped to clients that accept it', async () => {
    const response = await fetch(`${server.url}${DOCS_PATH}/scalar.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const body = await response.text();
    expect(body.length).toBe((await readFile(scalarBundleFile(), 'utf8')).length);
  });

  it('answers 404 with the error shape for anything else under the docs', async () => {
    const response = await fetch(`${server.url}${DOCS_PATH}/other.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error_code: 'route_not_found' });
  });
});

import { describe, expect, it } from 'vitest';
import { API_BASE } from '../../lambdas/handlers/api/routes.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';

describe('local runtime, end to end', () => {
  const runtime = useLocalRuntime();

  it('registers and lists a webhook integration with a token, and refuses requests without one', async () => {
    const token = await runtime.issueToken();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const id = `e2e-${process.pid}-${Date.now().toString(36)}`;

    const registered = await fetch(`${runtime.apiUrl}${API_BASE}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        id,
        integration_type: 'permanent',
        callback_parameters: { callback_url: 'http://127.0.0.1:9/events' },
      }),
    });
    const listed = await fetch(`${runtime.apiUrl}${API_BASE}`, { headers });
    const anonymous = await fetch(`${runtime.apiUrl}${API_BASE}`);

    expect(registered.status, await registered.clone().text()).toBe(200);
    expect(listed.status).toBe(200);
    const { integrations } = (await listed.json()) as { integrations: { id: string }[] };
    expect(integrations.map((integration) => integration.id)).toContain(id);
    expect(anonymous.status).toBe(401);
  });
});

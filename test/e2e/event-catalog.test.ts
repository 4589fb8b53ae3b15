import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { runCli } from '../support/cli.ts';
import { useLocalRuntime } from '../support/local-runtime.ts';
import { eventually } from '../support/poll.ts';

/**
 * The event catalog through the local runtime: names noted by the fan-out, schemas set through the API,
 * payloads refused by them on publish; and the same from the CLI. Every answer is checked against the
 * OpenAPI document by the API client.
 */
const runtime = useLocalRuntime();
let workDir: string;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'event-stream-catalog-'));
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** An entity of its own per test, so names never collide across tests sharing the runtime. */
const uniqueEntity = () => `catalog${randomUUID().replaceAll('-', '').slice(0, 12)}`;

describe('the event catalog', () => {
  it('lists the names published, keeps a schema per name, and refuses payloads that break it', async () => {
    const api = await apiClient(runtime);
    const entity = uniqueEntity();
    const created = `${entity}.created`;
    const updated = `${entity}.updated`;

    const published = await api('POST', '/api/v1/org/events', {
      body: {
        events: [
          { name: created, payload: { id: 'o-1', x: 1 } },
          { name: updated, payload: { id: 'o-1' } },
        ],
      },
    });
    expect(published.status).toBe(202);

    const listed = await eventually(
      async () => {
        const { status, body } = await api('GET', '/api/v1/org/event_types');
        expect(status).toBe(200);
        const ours = body.event_types.filter((type: { entity: string }) => type.entity === entity);
        expect(ours).toHaveLength(2);
        return ours;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(listed).toEqual([
      {
        name: created,
        entity,
        first_seen: expect.any(String),
        last_seen: expect.any(String),
        has_schema: false,
      },
      {
        name: updated,
        entity,
        first_seen: expect.any(String),
        last_seen: expect.any(String),
        has_schema: false,
      },
    ]);

    const path = `/api/v1/org/event_types/${created}/schema`;
    expect((await api('GET', path)).status).toBe(404);
    const schema = { type: 'object', required: ['id'], properties: { x: { type: 'integer' } } };
    const put = await api('PUT', path, { body: { schema } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: created, schema, version: expect.any(String) });
    expect((await api('GET', path)).body).toEqual(put.body);
    const invalid = await api('PUT', path, { body: { schema: { properties: { x: { type: 'int' } } } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error_code: 'validation_error', field: 'schema.properties.x.type' });

    const refused = await api('POST', '/api/v1/org/events', {
      body: {
        events: [
          { name: created, payload: { id: 'o-2', x: 2 } },
          { name: created, payload: { id: 'o-3', x: 'three' } },
        ],
      },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error_code: 'validation_error',
      message: `events[1].payload.x: must be an integer (schema of ${created})`,
      field: 'events[1].payload.x',
      request_id: expect.any(String),
    });

    const accepted = await api('POST', '/api/v1/org/events', {
      body: { events: [{ name: created, payload: { id: 'o-3', x: 3 } }] },
    });
    expect(accepted.status).toBe(202);
    const { body: catalog } = await api('GET', '/api/v1/org/event_types');
    expect(catalog.event_types).toContainEqual(
      expect.objectContaining({ name: created, has_schema: true, schema_version: put.body.version }),
    );

    expect((await api('DELETE', path)).status).toBe(204);
    expect((await api('DELETE', path)).status).toBe(404);
    const afterDelete = await api('POST', '/api/v1/org/events', {
      body: { name: created, payload: { x: 'anything goes again' } },
    });
    expect(afterDelete.status).toBe(202);
  });

  it('answers 400 naming the name for a schema under a name no event can have', async () => {
    const api = await apiClient(runtime);
    const { status, body } = await api('PUT', '/api/v1/org/event_types/Order%20Created/schema', {
      body: { schema: { type: 'object' } },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ error_code: 'validation_error', field: 'name' });
  });

  it('is managed from the CLI: event-types list and schema put, get, delete', async () => {
    const env = {
      EVENT_STREAM_API_URL: runtime.apiUrl,
      EVENT_STREAM_TOKEN: await runtime.issueToken(),
      XDG_CONFIG_HOME: join(workDir, 'config'),
    };
    const cli = (args: string[]) => runCli(['--output', 'json', ...args], env);
    const json = async (args: string[]) => {
      const result = await cli(args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return JSON.parse(result.stdout);
    };
    const name = `${uniqueEntity()}.shipped`;
    const file = join(workDir, 'shipped.schema.json');
    await writeFile(file, JSON.stringify({ type: 'object', required: ['tracking_number'] }));

    const put = await json(['event-types', 'schema', 'put', name, file]);
    expect(put).toMatchObject({
      name,
      schema: { required: ['tracking_number'] },
      version: expect.any(String),
    });
    expect(await json(['event-types', 'schema', 'get', name])).toEqual(put);
    expect(await json(['event-types', 'list'])).toContainEqual({
      name,
      entity: name.split('.')[0],
      has_schema: true,
      schema_version: put.version,
    });

    const events = join(workDir, 'shipped.ndjson');
    await writeFile(events, `${JSON.stringify({ name, payload: { carrier: 'dhl' } })}\n`);
    const refused = await cli(['events', 'publish', events]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`events[0].payload.tracking_number: is required (schema of ${name})`);

    expect(await json(['event-types', 'schema', 'delete', name])).toEqual({});
    const gone = await cli(['event-types', 'schema', 'get', name]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('[404 not_found]');
  });
});

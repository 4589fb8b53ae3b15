import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import {
  MAX_SCHEMA_BYTES,
  PayloadValidators,
  parsePayloadSchema,
  payloadValidator,
} from '../../lambdas/domain/payload-schema.ts';

const orderSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string' },
    total: { type: 'number', minimum: 0 },
    status: { enum: ['open', 'closed'] },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { sku: { type: 'string' }, quantity: { type: 'integer' } },
        additionalProperties: false,
      },
    },
    labels: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
  },
};

const violationOf = async (schema: unknown, payload: unknown) =>
  (await payloadValidator(await parsePayloadSchema(schema)))(payload);

const refusal = async (schema: unknown): Promise<ValidationError> => {
  try {
    await parsePayloadSchema(schema);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('the schema was accepted');
};

describe('payload schemas (JSON Schema 2020-12)', () => {
  it('accepts a 2020-12 schema, keeping its text without whitespace and a version of that text', async () => {
    const stored = await parsePayloadSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      ...orderSchema,
    });
    expect(JSON.parse(stored.json)).toMatchObject(orderSchema);
    expect(stored.json).not.toMatch(/\s/);
    expect((await parsePayloadSchema(JSON.parse(stored.json))).version).toBe(stored.version);
    expect((await parsePayloadSchema({ ...orderSchema, required: ['id', 'total'] })).version).not.toBe(
      stored.version,
    );
  });

  it('accepts keywords 2020-12 does not define (annotations) and the boolean schemas', async () => {
    await expect(parsePayloadSchema({ type: 'object', 'x-owner': 'team-orders' })).resolves.toBeDefined();
    await expect(parsePayloadSchema(true)).resolves.toBeDefined();
    await expect(parsePayloadSchema(false)).resolves.toBeDefined();
  });

  it.each([
    [
      'a type that does not exist, nested',
      { properties: { a: { items: { type: 'nope' } } } },
      'schema.properties.a.items.type',
    ],
    ['a negative minLength', { properties: { a: { minLength: -1 } } }, 'schema.properties.a.minLength'],
    ['required as a string', { required: 'id' }, 'schema.required'],
    ['another draft', { $schema: 'http://json-schema.org/draft-07/schema#' }, 'schema.$schema'],
    ['a $ref it cannot resolve', { properties: { a: { $ref: '#/$defs/missing' } } }, 'schema'],
    ['a $ref to another document', { $ref: 'https://schemas.example.com/order.json' }, 'schema'],
    ['an invalid pattern', { pattern: '(' }, 'schema'],
    ['a list', [{ type: 'object' }], 'schema'],
    ['a string', 'object', 'schema'],
  ])('refuses %s with 400 naming the problem', async (_, schema, field) => {
    const error = await refusal(schema);
    expect(error.statusCode).toBe(400);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^${field.replaceAll('$', '\\$').replaceAll('.', '\\.')}: \\S`));
  });

  it(`refuses a schema above ${MAX_SCHEMA_BYTES} bytes`, async () => {
    const big = { description: 'x'.repeat(MAX_SCHEMA_BYTES) };
    expect((await refusal(big)).message).toBe(`schema: must be at most ${MAX_SCHEMA_BYTES} bytes serialized`);
  });

  it.each([
    [{ id: 'o-1', items: [{ sku: 'a' }, { sku: 5 }] }, 'items[1].sku', 'must be a string'],
    [{ total: 3 }, 'id', 'is required'],
    [{ id: 'o-1', total: -1 }, 'total', 'must be >= 0'],
    [{ id: 'o-1', total: '3' }, 'total', 'must be a number'],
    [{ id: 'o-1', status: 'lost' }, 'status', 'must be one of "open", "closed"'],
    [{ id: 'o-1', items: [{ sku: 'a', colour: 'red' }] }, 'items[0].colour', 'is not allowed'],
    [{ id: 'o-1', items: [{ quantity: 1.5 }] }, 'items[0].quantity', 'must be an integer'],
    [{ id: 'o-1', labels: { 'gift wrap': 1 } }, 'labels["gift wrap"]', 'must be a string or null'],
    [{ id: 'o-1', labels: { '0': 1 } }, 'labels["0"]', 'must be a string or null'],
    [{ id: 7 }, 'id', 'must be a string'],
  ])('names the value at fault and the rule it breaks: %j', async (payload, path, rule) => {
    expect(await violationOf(orderSchema, payload)).toEqual({ path, rule });
  });

  it('passes a payload that matches, and names the payload itself for a rule on the whole of it', async () => {
    expect(await violationOf(orderSchema, { id: 'o-1', items: [{ sku: 'a', quantity: 2 }] })).toBeUndefined();
    expect(await violationOf({ minProperties: 2 }, { a: 1 })).toEqual({
      path: '',
      rule: 'must NOT have fewer than 2 properties',
    });
    expect(await violationOf(false, {})).toEqual({ path: '', rule: 'boolean schema is false' });
  });

  it('reports an anyOf as a whole rather than the first branch it tried', async () => {
    const schema = { properties: { ref: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } };
    expect(await violationOf(schema, { ref: true })).toEqual({
      path: 'ref',
      rule: 'must match a schema in anyOf',
    });
  });

  it('refuses a schema or a payload nested deeper than it can check with 400, not a crash', async () => {
    let deep: unknown = { type: 'object' };
    for (let level = 0; level < 5000; level++) deep = { not: deep };
    expect((await refusal(deep)).message).toBe('schema: is nested too deeply');
    const tree = {
      $defs: { node: { properties: { child: { $ref: '#/$defs/node' } } } },
      $ref: '#/$defs/node',
    };
    let payload: unknown = {};
    for (let level = 0; level < 20_000; level++) payload = { child: payload };
    expect(await violationOf(tree, payload)).toEqual({ path: '', rule: 'is nested too deeply to check' });
    expect(await violationOf(tree, { child: { child: {} } })).toBeUndefined();
  });

  it('does not check format, an annotation in 2020-12', async () => {
    expect(
      await violationOf({ properties: { at: { type: 'string', format: 'date-time' } } }, { at: 'soon' }),
    ).toBe(undefined);
  });

  it('compiles a schema version once per instance, and a changed schema anew', async () => {
    const validators = new PayloadValidators(2);
    const v1 = await parsePayloadSchema(orderSchema);
    const v2 = await parsePayloadSchema({ ...orderSchema, required: ['id', 'total'] });
    const first = await validators.of(v1);
    expect(await validators.of({ ...v1 })).toBe(first);
    expect(await validators.of(v2)).not.toBe(first);
    expect((await validators.of(v2))({ id: 'o-1' })).toEqual({ path: 'total', rule: 'is required' });
    // Beyond its capacity it forgets the least recently used.
    await validators.of(await parsePayloadSchema({ type: 'object' }));
    expect(validators.size).toBe(2);
    expect(await validators.of(v1)).not.toBe(first);
  });

  it('compiles schemas with the same $id side by side', async () => {
    const a = await parsePayloadSchema({ $id: 'https://example.com/order', type: 'object', required: ['a'] });
    const b = await parsePayloadSchema({ $id: 'https://example.com/order', type: 'object', required: ['b'] });
    const validators = new PayloadValidators();
    expect((await validators.of(a))({})).toEqual({ path: 'a', rule: 'is required' });
    expect((await validators.of(b))({})).toEqual({ path: 'b', rule: 'is required' });
  });
});

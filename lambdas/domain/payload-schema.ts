import { createHash } from 'node:crypto';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { lazy } from './lazy.ts';

/**
 * JSON Schemas (draft 2020-12) for event payloads: checking a schema when it is stored, and checking a
 * payload against it with a message that names the value at fault and the rule it breaks.
 *
 * ajv rather than a smaller interpreter (@cfworker/json-schema, 22 KiB where ajv takes 132 KiB): ajv checks
 * a schema against the whole 2020-12 meta-schema, nested subschemas included, which the interpreter does
 * not (it accepts `{"items": {"type": "nope"}}`), and compiles each schema once to a function, which is
 * what a cache of validators per schema version is for. Only the API function bundles it.
 */

/** The body of `PUT .../event_types/{name}/schema`: the schema under `schema`, room for more beside it later. */
export const putEventSchemaBodySchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    schema: z
      .union([z.record(z.string(), z.unknown()), z.boolean()], {
        message: 'must be a JSON Schema (an object, or true or false)',
      })
      .meta({ description: 'A JSON Schema, draft 2020-12.' }),
  }),
);

/** The largest schema stored, serialized: one per event name, read with every publish of that name. */
export const MAX_SCHEMA_BYTES = 64 * 1024;

const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/*
 * `strict: false`: 2020-12 allows keywords it does not define (annotations such as `x-owner`), which
 * ajv's strict mode refuses. `validateFormats: false`: `format` is an annotation in 2020-12's default
 * vocabulary, so a schema does not make the API refuse a payload for a date's spelling.
 */
const ajvOptions = { strict: false, validateFormats: false, allErrors: false } as const;

/**
 * ajv, loaded on first use: its 113 KiB (minified) would otherwise be evaluated, and its meta-schema
 * compiled, on every cold start of the API, though only a schema write or a publish of a name with a schema
 * needs it. Bundled all the same (one file per function); the import only defers running it.
 */
let loaded: Promise<{ Ajv: typeof Ajv2020; metaChecker: Ajv2020 }> | undefined;
const ajv = () => {
  loaded ??= import('ajv/dist/2020.js').then(({ Ajv2020: Ajv }) => ({
    Ajv,
    // This instance only checks schemas against the meta-schema; it compiles nothing of a tenant's.
    metaChecker: new Ajv(ajvOptions),
  }));
  return loaded;
};

/** A JSON Schema as stored: its canonical text and a version that changes with that text. */
export interface PayloadSchema {
  /** The schema, as JSON text without whitespace. */
  json: string;
  /** A hash of `json`: the schema's ETag, and the key of its compiled validator. */
  version: string;
}

/** The version of a schema's text: the same text, the same version, wherever it is computed. */
export const schemaVersion = (json: string): string =>
  createHash('sha256').update(json).digest('base64url').slice(0, 22);

/**
 * Checks that `schema` is a JSON Schema of draft 2020-12 that can be used: valid against the meta-schema,
 * every `$ref` resolvable within it, every `pattern` a valid regular expression, and at most
 * MAX_SCHEMA_BYTES serialized. Returns it in its stored form; throws a ValidationError naming the problem
 * (`schema.properties.sku.type: must be equal to one of the allowed values`).
 */
export const parsePayloadSchema = async (schema: unknown): Promise<PayloadSchema> => {
  try {
    return await parseSchema(schema);
  } catch (error) {
    // Serializing and checking recurse: a schema nested deeper than the stack allows is a 400, not a crash.
    if (error instanceof RangeError) throw new ValidationError('schema: is nested too deeply', 'schema');
    throw error;
  }
};

const parseSchema = async (schema: unknown): Promise<PayloadSchema> => {
  if (
    typeof schema !== 'boolean' &&
    (schema === null || typeof schema !== 'object' || Array.isArray(schema))
  ) {
    throw new ValidationError('schema: must be a JSON Schema (an object, or true or false)', 'schema');
  }
  const json = JSON.stringify(schema);
  if (Buffer.byteLength(json) > MAX_SCHEMA_BYTES) {
    throw new ValidationError(`schema: must be at most ${MAX_SCHEMA_BYTES} bytes serialized`, 'schema');
  }
  const declared = typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  if (declared !== undefined && declared !== DIALECT && declared !== `${DIALECT}#`) {
    throw new ValidationError(
      `schema.$schema: must be ${DIALECT} (draft 2020-12) or absent`,
      'schema.$schema',
    );
  }
  const { metaChecker } = await ajv();
  if (!metaChecker.validateSchema(schema)) {
    const error = metaChecker.errors?.[0];
    const field = fieldUnder('schema', pathIn(schema, error?.instancePath ?? ''));
    throw new ValidationError(`${field}: ${error?.message ?? 'is not a valid JSON Schema'}`, field);
  }
  try {
    await compile(json);
  } catch (error) {
    // ajv names an unresolvable `$ref` or a bad `pattern`; nothing else reaches here after the meta-schema.
    throw new ValidationError(`schema: ${(error as Error).message.split('\n')[0]}`, 'schema');
  }
  return { json, version: schemaVersion(json) };
};

/**
 * A fresh instance per schema: ajv keeps every schema it compiled by its `$id`, so two tenants' schemas (or
 * two versions of one) with the same `$id` would clash in a shared one. Compiling is rare (once per
 * version per Lambda instance), so the instance's cost does not matter.
 */
const compile = async (json: string): Promise<ValidateFunction> => {
  const { Ajv } = await ajv();
  return new Ajv(ajvOptions).compile(JSON.parse(json));
};

/** What a payload breaks: the dotted path of the value at fault under `payload`, and the rule. */
export interface PayloadViolation {
  /** `items[0].sku`, `customer["first name"]`, or '' for the payload itself. */
  path: string;
  rule: string;
}

/** Checks payloads against one schema; made once per schema version (see PayloadValidators). */
export type PayloadValidator = (payload: unknown) => PayloadViolation | undefined;

const article = (type: string): string => (/^[aeio]/.test(type) ? `an ${type}` : `a ${type}`);

const listOf = (values: readonly unknown[]): string =>
  values.map((value) => JSON.stringify(value)).join(', ');

/** The rule an ajv error states, in the API's words (`must be a string`, `is required`). */
const ruleOf = (error: ErrorObject): string => {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type': {
      const types = String(params.type).split(',');
      return `must be ${types.map((type) => (type === 'null' ? 'null' : article(type))).join(' or ')}`;
    }
    case 'required':
    case 'dependentRequired':
      return error.keyword === 'required'
        ? 'is required'
        : `is required when ${String(params.property)} is present`;
    case 'additionalProperties':
    case 'unevaluatedProperties':
      return 'is not allowed';
    case 'enum':
      return `must be one of ${listOf(params.allowedValues as unknown[])}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'minLength':
      return `must be at least ${String(params.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long`;
    case 'minItems':
      return `must have at least ${String(params.limit)} items`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'pattern':
      return `must match the pattern ${String(params.pattern)}`;
    default:
      return error.message ?? `must satisfy ${error.keyword}`;
  }
};

/** The property an error is about, when it names one the value lacks or must not have. */
const propertyOf = (error: ErrorObject): string | undefined => {
  const params = error.params as Record<string, unknown>;
  const name = params.missingProperty ?? params.additionalProperty ?? params.unevaluatedProperty;
  return typeof name === 'string' ? name : undefined;
};

/**
 * `/items/0/sku` → `items[0].sku`, reading `payload` to tell an array index from a key that looks like one.
 */
const pathIn = (payload: unknown, pointer: string, property?: string): string => {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (property !== undefined) parts.push(property);
  let path = '';
  let value: unknown = payload;
  for (const part of parts) {
    if (Array.isArray(value) && /^\d+$/.test(part)) path += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) path += `${path ? '.' : ''}${part}`;
    else path += `[${JSON.stringify(part)}]`;
    value =
      value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  }
  return path;
};

/** `path` under the field `prefix`: `payload` + `items[0].sku` → `payload.items[0].sku`. */
export const fieldUnder = (prefix: string, path: string): string =>
  path === '' ? prefix : path.startsWith('[') ? `${prefix}${path}` : `${prefix}.${path}`;

/** The error to show: ajv stops at the first failing keyword, but lists the branches an `anyOf` tried first. */
const chosen = (errors: readonly ErrorObject[]): ErrorObject | undefined => {
  const last = errors.at(-1);
  return last && (last.keyword === 'anyOf' || last.keyword === 'oneOf') ? last : errors[0];
};

/** A validator for a schema that `parsePayloadSchema` accepted. */
export const payloadValidator = async (schema: PayloadSchema): Promise<PayloadValidator> => {
  const validate = await compile(schema.json);
  return (payload) => {
    try {
      if (validate(payload)) return undefined;
    } catch (error) {
      // A recursive schema follows the payload down: one nested deeper than the stack allows is refused.
      if (error instanceof RangeError) return { path: '', rule: 'is nested too deeply to check' };
      throw error;
    }
    const error = chosen(validate.errors ?? []);
    if (!error) return { path: '', rule: 'does not match the schema' };
    return { path: pathIn(payload, error.instancePath, propertyOf(error)), rule: ruleOf(error) };
  };
};

/**
 * Compiled validators by schema version, the least recently used dropped beyond `capacity`: a Lambda
 * instance compiles each version it meets once, and a changed schema (a new version) is compiled anew.
 */
export class PayloadValidators {
  // Promises, so requests that meet a new version at once compile it once.
  private readonly byVersion = new Map<string, Promise<PayloadValidator>>();

  constructor(private readonly capacity = 200) {}

  /** The validator of `schema`, compiled now if this instance has not met its version. */
  of(schema: PayloadSchema): Promise<PayloadValidator> {
    let validator = this.byVersion.get(schema.version);
    if (validator) {
      this.byVersion.delete(schema.version);
    } else {
      validator = payloadValidator(schema);
      // A schema that does not compile (edited by hand in the table) is tried again next time.
      validator.catch(() => this.byVersion.delete(schema.version));
      if (this.byVersion.size >= this.capacity) {
        const oldest = this.byVersion.keys().next().value;
        if (oldest !== undefined) this.byVersion.delete(oldest);
      }
    }
    this.byVersion.set(schema.version, validator);
    return validator;
  }

  /** How many schemas were compiled and are kept. */
  get size(): number {
    return this.byVersion.size;
  }
}

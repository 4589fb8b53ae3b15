import type * as z from 'zod';
import { ValidationError } from './errors.ts';

const describe = (issue: z.core.$ZodIssue): { field: string; message: string } => {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    return { field, message: `${field}: unknown field` };
  }
  const field = path.join('.');
  let message = issue.message;
  if (issue.code === 'invalid_type') {
    message = /received undefined/.test(issue.message) ? 'is required' : `must be ${issue.expected}`;
  } else if (/^Invalid input/.test(message) || /^Too (big|small)/.test(message)) {
    message = message.replace(/^Invalid input: /, '').replace(/^Too (big|small): expected/, 'must be');
  }
  return { field, message: field ? `${field}: ${message}` : message };
};

/**
 * Parses `input` with a zod schema; on failure throws a ValidationError naming the first field at fault,
 * so the client sees `callback_parameters.callback_url: must be an https URL`, not a zod dump.
 */
export const parseRequest = <T>(schema: z.ZodType<T>, input: unknown, what = 'body'): T => {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ValidationError(`Request ${what} must be a JSON object.`);
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  if (!first) throw new ValidationError(`Invalid request ${what}.`);
  const { field, message } = describe(first);
  throw new ValidationError(message, field || undefined);
};

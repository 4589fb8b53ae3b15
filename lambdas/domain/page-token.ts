import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from './errors.ts';
import { lazy } from './lazy.ts';
import type { ShardCursor } from './sharded-merge.ts';

/**
 * `next_token`: the shard cursor plus a fingerprint of the query it belongs to, base64url-encoded and
 * MAC'd, so a token edited by hand or replayed against another query is a 400, not a silently wrong page.
 */
const tokenSchema = /* @__PURE__ */ lazy(() =>
  z.strictObject({
    q: z.string().max(128),
    c: z.record(z.string().regex(/^\d{1,3}$/), z.string().max(512).nullable()),
  }),
);

const mac = (key: string, body: string) =>
  createHmac('sha256', key).update(body).digest('base64url').slice(0, 32);

/** A fingerprint of the query parameters a token continues (everything but the token itself). */
export const queryFingerprint = (params: Record<string, unknown>): string =>
  createHmac('sha256', 'query')
    .update(JSON.stringify(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))))
    .digest('base64url')
    .slice(0, 22);

export const encodePageToken = (key: string, fingerprint: string, cursor: ShardCursor): string => {
  const body = Buffer.from(JSON.stringify({ q: fingerprint, c: cursor })).toString('base64url');
  return `${body}.${mac(key, body)}`;
};

export const decodePageToken = (key: string, fingerprint: string, token: string): ShardCursor => {
  const invalid = (why: string) => new ValidationError(`next_token: ${why}`, 'next_token');
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined || token.length > 8192)
    throw invalid('is not a token this API issued');
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    throw invalid('is not a token this API issued');
  }
  let parsed: z.infer<ReturnType<typeof tokenSchema>>;
  try {
    parsed = tokenSchema().parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw invalid('is not a token this API issued');
  }
  if (parsed.q !== fingerprint)
    throw invalid('belongs to a query with other parameters; repeat them unchanged');
  return parsed.c;
};

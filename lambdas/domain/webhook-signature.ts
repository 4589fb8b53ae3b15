import { createHmac, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256 over
 * `{webhook-id}.{webhook-timestamp}.{body}` with the integration's `whsec_` secret, sent as
 * `v1,{base64}`; during a rotation both secrets sign, space-separated, so receivers can switch at leisure.
 */
export const SIGNING_SECRET_PREFIX = 'whsec_';

export const newSigningSecret = (): string => `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;

/** A deployment has a few secrets per integration; more than this means they are being rotated: start over. */
const MAX_KEYS = 256;
const keys = new Map<string, KeyObject>();

/**
 * The secret as a KeyObject, made once: `createHmac` given a Buffer spends about 12 µs (Node 24) checking
 * whether it is a KeyObject, five times the HMAC of a 1 KB body.
 */
const keyOf = (secret: string): KeyObject => {
  let key = keys.get(secret);
  if (!key) {
    if (keys.size >= MAX_KEYS) keys.clear();
    key = createSecretKey(Buffer.from(secret.slice(SIGNING_SECRET_PREFIX.length), 'base64'));
    keys.set(secret, key);
  }
  return key;
};

const sign = (secret: string, content: string): string =>
  `v1,${createHmac('sha256', keyOf(secret)).update(content).digest('base64')}`;

/** The three Standard Webhooks headers of one delivery. */
// A type alias, not an interface, so it stays assignable to plain header records.
export type SignatureHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** The three Standard Webhooks headers for one delivery. */
export const signatureHeaders = (
  secrets: readonly string[],
  eventId: string,
  timestampSeconds: number,
  body: string,
): SignatureHeaders => {
  const content = `${eventId}.${timestampSeconds}.${body}`;
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((secret) => sign(secret, content)).join(' '),
  };
};

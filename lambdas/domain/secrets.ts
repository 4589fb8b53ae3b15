import { ValidationError } from './errors.ts';

/**
 * The credential fields of an integration. Their values go to the secret store; the stored integration
 * and every response carry a mask in their place.
 */
export const SECRET_PATHS = [
  'callback_parameters.api_key',
  'callback_parameters.oauth.client_secret',
  'callback_parameters.jwt.private_key',
  'callback_parameters.jwt.secret',
  's3_parameters.aws_secret_access_key',
] as const;

export type SecretPath = (typeof SECRET_PATHS)[number];

/** The Standard Webhooks signing secrets: the current one and, for a day after a rotation, the previous. */
export interface SigningSecrets {
  signing_secret?: string;
  previous_signing_secret?: string;
  previous_signing_secret_expires_at?: string;
}

/** Secret values of one integration: credentials keyed by their field path, and its signing secrets. */
export type SecretValues = Partial<Record<SecretPath, string>> & SigningSecrets;

/** The signing part of an integration's secret, which survives credential updates. */
export const signingPart = (secrets: SecretValues): SigningSecrets => {
  const part: SigningSecrets = {};
  if (secrets.signing_secret) part.signing_secret = secrets.signing_secret;
  if (secrets.previous_signing_secret) part.previous_signing_secret = secrets.previous_signing_secret;
  if (secrets.previous_signing_secret_expires_at) {
    part.previous_signing_secret_expires_at = secrets.previous_signing_secret_expires_at;
  }
  return part;
};

/** The secrets that sign a delivery now: the current one, plus the previous one until it expires. */
export const activeSigningSecrets = (secrets: SecretValues, now: Date): string[] => {
  const active = secrets.signing_secret ? [secrets.signing_secret] : [];
  const expiresAt = secrets.previous_signing_secret_expires_at;
  if (secrets.previous_signing_secret && expiresAt && Date.parse(expiresAt) > now.getTime()) {
    active.push(secrets.previous_signing_secret);
  }
  return active;
};

export const MASK_PREFIX = '****';

/**
 * `****` plus the last four characters for long values, so an integrator can tell keys apart without
 * the value being readable; short values and PEM keys (whose tail is boilerplate) show nothing.
 */
export const maskSecret = (value: string): string => {
  const trimmed = value.trim();
  if (trimmed.length < 16 || trimmed.endsWith('-----')) return MASK_PREFIX;
  return `${MASK_PREFIX}${trimmed.slice(-4)}`;
};

type Json = Record<string, unknown>;

const getPath = (object: Json, path: string): unknown =>
  path.split('.').reduce<unknown>((node, key) => (node as Json | undefined)?.[key], object);

const setPath = (object: Json, path: string, value: unknown): void => {
  const keys = path.split('.');
  const last = keys.pop() as string;
  const parent = keys.reduce<Json | undefined>((node, key) => node?.[key] as Json | undefined, object);
  if (parent) parent[last] = value;
};

/**
 * Splits a destination (`{callback_parameters}` or `{s3_parameters}`) into its masked form and its
 * secret values. A value equal to the mask currently shown keeps the current secret, so a client may
 * GET, edit and send the whole object back; any other masked-looking value is refused.
 */
export const separateSecrets = <T extends Json>(
  destination: T,
  current: { masked?: Json; secrets: SecretValues } = { secrets: {} },
): { masked: T; secrets: SecretValues } => {
  const masked = structuredClone(destination);
  const secrets: SecretValues = {};
  for (const path of SECRET_PATHS) {
    const value = getPath(masked, path);
    if (typeof value !== 'string') continue;
    const existing = current.secrets[path];
    if (value.startsWith(MASK_PREFIX)) {
      if (existing === undefined || getPath(current.masked ?? {}, path) !== value) {
        throw new ValidationError(`${path}: looks like a masked value; send the secret itself`, path);
      }
      secrets[path] = existing;
    } else {
      secrets[path] = value;
    }
    setPath(masked, path, maskSecret(secrets[path] as string));
  }
  return { masked, secrets };
};

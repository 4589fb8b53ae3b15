import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { SCOPES } from '../lambdas/handlers/api/routes.ts';

/**
 * Stands in for the Cognito user pool and the HTTP API's JWT authorizer: one local signing key issues tokens
 * and `verifyRequest` applies the authorizer's checks to them.
 */

export const LOCAL_ISSUER = 'local-issuer';
export const LOCAL_AUDIENCE = 'event-stream-local';
const ALGORITHM = 'ES256';

/** Every scope a route may require: what `npm run token` grants unless told otherwise. */
export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

/**
 * Scopes as given on a command line: `--scope "a b"`, `--scope a,b` and repeated flags all work; none
 * means every scope.
 */
export const parseScopes = (given: readonly string[] | undefined): readonly string[] =>
  given?.flatMap((scope) => scope.split(/[\s,]+/)).filter(Boolean) ?? ALL_SCOPES;

export interface TokenOptions {
  scopes?: readonly string[];
  /** Lifetime in seconds; default one hour. */
  expiresIn?: number;
  subject?: string;
}

/** Claims as API Gateway hands them to the Lambda: every value a string, arrays as `[a b]`. */
export type AuthorizerClaims = Record<string, string>;

export type AuthResult =
  | { ok: true; claims: AuthorizerClaims; scopes: string[] }
  | { ok: false; status: 401 | 403; errorCode: 'unauthorized' | 'forbidden'; message: string };

export interface LocalAuth {
  issueToken(options?: TokenOptions): Promise<string>;
  /**
   * What the JWT authorizer does: a Bearer token signed by our key (nothing else, no `alg: none`), our issuer,
   * our audience in `aud` or `client_id`, `exp` in the future, `nbf` passed; 403 when `requiredScope` is not
   * among the space-separated `scope` claim.
   */
  verifyRequest(authorization: string | undefined, requiredScope?: string): Promise<AuthResult>;
}

interface StoredKey {
  kid: string;
  privateJwk: JWK;
}

/** A fresh key pair for this process only; tests use it. */
export const createLocalAuth = async (): Promise<LocalAuth> => authFromKey(await generateKey());

/**
 * The key kept in `file` (a private JWK, mode 0600), created on first use, so tokens stay valid across
 * restarts and `npm run token` works whether or not `npm start` is running.
 */
export const loadLocalAuth = async (file: string): Promise<LocalAuth> => {
  let stored: StoredKey;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as StoredKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`Cannot read the signing key ${file}: ${(error as Error).message}`);
    }
    stored = await generateKey();
    await mkdir(dirname(file), { recursive: true });
    // 'wx': when `npm start` and `npm run token` create it at once, the second one reads the first one's key.
    try {
      await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600, flag: 'wx' });
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
      return loadLocalAuth(file);
    }
    await chmod(file, 0o600);
  }
  return authFromKey(stored);
};

const generateKey = async (): Promise<StoredKey> => {
  const { privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  return { kid: randomUUID(), privateJwk: { ...(await exportJWK(privateKey)), alg: ALGORITHM } };
};

const authFromKey = async ({ kid, privateJwk }: StoredKey): Promise<LocalAuth> => {
  const { d: _private, ...publicJwk } = privateJwk;
  const privateKey = (await importJWK(privateJwk, ALGORITHM)) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, ALGORITHM)) as CryptoKey;

  const issueToken = async (options: TokenOptions = {}): Promise<string> =>
    new SignJWT({
      scope: (options.scopes ?? ALL_SCOPES).join(' '),
      client_id: LOCAL_AUDIENCE,
      token_use: 'access',
    })
      .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(options.subject ?? 'local-client')
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600))
      .sign(privateKey);

  const verifyRequest = async (
    authorization: string | undefined,
    requiredScope?: string,
  ): Promise<AuthResult> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match?.[1]) return unauthorized('A Bearer token is required');
    let payload: JWTPayload;
    let protectedHeader: JWTHeaderParameters;
    try {
      ({ payload, protectedHeader } = await jwtVerify(match[1], publicKey, {
        issuer: LOCAL_ISSUER,
        algorithms: [ALGORITHM],
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      return unauthorized(`Invalid token: ${(error as Error).message}`);
    }
    // The authorizer picks the key by `kid` from the issuer's JWKS: a token naming another key fails there.
    if (protectedHeader.kid !== kid) return unauthorized('Invalid token: unknown key id');
    // Cognito access tokens carry the app client in `client_id` instead of `aud`; the authorizer accepts either.
    const audiences = [payload.aud ?? []].flat();
    if (!audiences.includes(LOCAL_AUDIENCE) && payload.client_id !== LOCAL_AUDIENCE) {
      return unauthorized('Invalid token: audience not accepted');
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    if (requiredScope && !scopes.includes(requiredScope)) {
      return {
        ok: false,
        status: 403,
        errorCode: 'forbidden',
        message: `The token lacks the scope ${requiredScope}`,
      };
    }
    return { ok: true, claims: authorizerClaims(payload), scopes };
  };

  return { issueToken, verifyRequest };
};

const unauthorized = (message: string): AuthResult => ({
  ok: false,
  status: 401,
  errorCode: 'unauthorized',
  message,
});

const authorizerClaims = (payload: JWTPayload): AuthorizerClaims =>
  Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value),
    ]),
  );

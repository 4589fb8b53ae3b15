import { randomUUID } from 'node:crypto';
import { importPKCS8, SignJWT } from 'jose';
import type { CallbackParameters } from '../../domain/integration-schema.ts';
import type { HttpSender, ReceiverAuthorizer } from '../../domain/ports/deliveries.ts';
import type { Clock } from '../../domain/ports/platform.ts';
import type { SecretValues } from '../../domain/secrets.ts';

/** Refresh OAuth tokens this long before they expire, so none expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;
const JWT_LIFETIME_S = 300;

interface CachedToken {
  /** Pending while fetched, so parallel deliveries share one token request. */
  token: Promise<string>;
  expiresAt: number;
}

/**
 * The Authorization header per receiver: `api_key` as a bearer token, an OAuth client-credentials token
 * (cached until shortly before it expires, per integration and client), or a short-lived JWT signed with
 * jose. Token requests go through the same guarded sender as deliveries.
 */
export class HttpReceiverAuthorizer implements ReceiverAuthorizer {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly keys = new Map<string, ReturnType<typeof importPKCS8>>();

  constructor(
    private readonly sender: HttpSender,
    private readonly clock: Clock,
  ) {}

  async authorization(
    integrationId: string,
    params: CallbackParameters,
    secrets: SecretValues,
    options: { refresh?: boolean } = {},
  ): Promise<string | undefined> {
    const apiKey = secrets['callback_parameters.api_key'];
    if (params.api_key && apiKey) return `Bearer ${apiKey}`;
    if (params.oauth)
      return `Bearer ${await this.oauthToken(integrationId, params.oauth, secrets, options.refresh)}`;
    if (params.jwt) return `Bearer ${await this.jwt(integrationId, params.jwt, secrets)}`;
    return undefined;
  }

  private async oauthToken(
    integrationId: string,
    oauth: NonNullable<CallbackParameters['oauth']>,
    secrets: SecretValues,
    refresh = false,
  ): Promise<string> {
    const clientSecret = secrets['callback_parameters.oauth.client_secret'] ?? '';
    const cacheKey = `${integrationId}|${oauth.token_url}|${oauth.client_id}|${clientSecret.slice(-6)}`;
    const now = this.clock.now().getTime();
    const cached = this.tokens.get(cacheKey);
    if (cached && !refresh && cached.expiresAt - EXPIRY_MARGIN_MS > now) return cached.token;
    const entry: CachedToken = { token: Promise.resolve(''), expiresAt: Number.POSITIVE_INFINITY };
    entry.token = this.fetchToken(oauth, clientSecret).then(
      ({ token, lifetimeSeconds }) => {
        entry.expiresAt = now + lifetimeSeconds * 1000;
        return token;
      },
      (error: unknown) => {
        if (this.tokens.get(cacheKey) === entry) this.tokens.delete(cacheKey);
        throw error;
      },
    );
    this.tokens.set(cacheKey, entry);
    return entry.token;
  }

  private async fetchToken(
    oauth: NonNullable<CallbackParameters['oauth']>,
    clientSecret: string,
  ): Promise<{ token: string; lifetimeSeconds: number }> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (oauth.scope) form.set('scope', oauth.scope);
    const basic = Buffer.from(
      `${encodeURIComponent(oauth.client_id)}:${encodeURIComponent(clientSecret)}`,
    ).toString('base64');
    const result = await this.sender.post(oauth.token_url, form.toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: `Basic ${basic}`,
    });
    if (!result.ok)
      throw new ReceiverAuthError(`OAuth token request to ${oauth.token_url} failed: ${result.error}`);
    if (result.status !== 200) {
      throw new ReceiverAuthError(
        `OAuth token request to ${oauth.token_url} answered HTTP status code ${result.status}`,
      );
    }
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(result.excerpt);
    } catch {
      throw new ReceiverAuthError(`OAuth token response from ${oauth.token_url} is not JSON`);
    }
    if (typeof parsed.access_token !== 'string') {
      throw new ReceiverAuthError(`OAuth token response from ${oauth.token_url} has no access_token`);
    }
    return {
      token: parsed.access_token,
      lifetimeSeconds: typeof parsed.expires_in === 'number' ? parsed.expires_in : 3600,
    };
  }

  private async jwt(
    integrationId: string,
    jwt: NonNullable<CallbackParameters['jwt']>,
    secrets: SecretValues,
  ): Promise<string> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const signer = new SignJWT({})
      .setProtectedHeader({ alg: jwt.algorithm, typ: 'JWT', ...(jwt.kid && { kid: jwt.kid }) })
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + JWT_LIFETIME_S)
      .setJti(randomUUID());
    if (jwt.iss) signer.setIssuer(jwt.iss);
    if (jwt.sub) signer.setSubject(jwt.sub);
    if (jwt.aud) signer.setAudience(jwt.aud);
    if (jwt.algorithm === 'HS256') {
      const secret = secrets['callback_parameters.jwt.secret'];
      if (!secret) throw new ReceiverAuthError('JWT secret missing from the integration secret');
      return signer.sign(new TextEncoder().encode(secret));
    }
    const pem = secrets['callback_parameters.jwt.private_key'];
    if (!pem) throw new ReceiverAuthError('JWT private key missing from the integration secret');
    const cacheKey = `${integrationId}|${pem.slice(-40)}`;
    let key = this.keys.get(cacheKey);
    if (!key) {
      key = importPKCS8(pem, 'RS256').catch((error: unknown) => {
        this.keys.delete(cacheKey);
        throw new ReceiverAuthError(
          `JWT private key is not a usable RS256 PKCS#8 key: ${(error as Error).message}`,
        );
      });
      this.keys.set(cacheKey, key);
    }
    return signer.sign(await key);
  }
}

/** Credentials that could not be turned into a header: a delivery failure, retried like any other. */
export class ReceiverAuthError extends Error {}

import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../lambdas/handlers/api/routes.ts';
import {
  createLocalAuth,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalAuth,
  loadLocalAuth,
} from '../../local/auth.ts';

const now = () => Math.floor(Date.now() / 1000);

describe('local JWT authorizer', () => {
  let auth: LocalAuth;
  beforeAll(async () => {
    auth = await createLocalAuth();
  });

  /** A token with our claims, signed by another key pair. */
  const signedElsewhere = async (claims: Record<string, unknown> = {}) => {
    const { privateKey } = await generateKeyPair('ES256');
    return new SignJWT({ scope: SCOPES.read, ...claims })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(now() + 600)
      .sign(privateKey);
  };

  it('accepts a token it issued and passes on its claims and scopes', async () => {
    const token = await auth.issueToken({ scopes: [SCOPES.read, SCOPES.write], subject: 'client-1' });

    const result = await auth.verifyRequest(`Bearer ${token}`, SCOPES.write);

    expect(result).toMatchObject({ ok: true, scopes: [SCOPES.read, SCOPES.write] });
    if (!result.ok) return;
    expect(result.claims).toMatchObject({
      sub: 'client-1',
      iss: LOCAL_ISSUER,
      scope: `${SCOPES.read} ${SCOPES.write}`,
    });
    // API Gateway hands every claim over as a string.
    expect(typeof result.claims.exp).toBe('string');
  });

  it('answers 401 without a Bearer token', async () => {
    expect(await auth.verifyRequest(undefined)).toMatchObject({
      ok: false,
      status: 401,
      errorCode: 'unauthorized',
    });
    expect(await auth.verifyRequest('Basic dXNlcjpwYXNz')).toMatchObject({ ok: false, status: 401 });
    expect(await auth.verifyRequest('Bearer not-a-jwt')).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 401 for an expired token', async () => {
    const token = await auth.issueToken({ expiresIn: -60 });

    expect(await auth.verifyRequest(`Bearer ${token}`)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 401 for a token signed with another key, even one naming our key id', async () => {
    const ours = await auth.issueToken();
    const [header] = ours.split('.');
    const theirs = await signedElsewhere();
    const [, payload, signature] = theirs.split('.');

    expect(await auth.verifyRequest(`Bearer ${theirs}`)).toMatchObject({ ok: false, status: 401 });
    expect(await auth.verifyRequest(`Bearer ${header}.${payload}.${signature}`)).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('answers 401 for an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT({ scope: SCOPES.read })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(now() + 600)
      .encode();

    expect(await auth.verifyRequest(`Bearer ${token}`)).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 403 when the route scope is missing', async () => {
    const token = await auth.issueToken({ scopes: [SCOPES.read] });

    expect(await auth.verifyRequest(`Bearer ${token}`, SCOPES.write)).toMatchObject({
      ok: false,
      status: 403,
      errorCode: 'forbidden',
    });
    expect(await auth.verifyRequest(`Bearer ${token}`, SCOPES.read)).toMatchObject({ ok: true });
  });
});

describe('local JWT authorizer with a key file', () => {
  it('rejects tokens from our key whose issuer or audience differ', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auth-'));
    const file = join(dir, 'signing-key.json');
    try {
      const auth = await loadLocalAuth(file);
      const { kid, privateJwk } = JSON.parse(await readFile(file, 'utf8'));
      const key = await importJWK(privateJwk, 'ES256');
      const sign = (issuer: string, audience: string) =>
        new SignJWT({ scope: SCOPES.read })
          .setProtectedHeader({ alg: 'ES256', kid })
          .setIssuer(issuer)
          .setAudience(audience)
          .setExpirationTime(now() + 600)
          .sign(key);

      expect(await auth.verifyRequest(`Bearer ${await sign(LOCAL_ISSUER, LOCAL_AUDIENCE)}`)).toMatchObject({
        ok: true,
      });
      expect(await auth.verifyRequest(`Bearer ${await sign('other-issuer', LOCAL_AUDIENCE)}`)).toMatchObject({
        ok: false,
        status: 401,
      });
      expect(await auth.verifyRequest(`Bearer ${await sign(LOCAL_ISSUER, 'other-audience')}`)).toMatchObject({
        ok: false,
        status: 401,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the key in a 0600 file, so tokens survive a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'auth-'));
    const file = join(dir, 'signing-key.json');
    try {
      const token = await (await loadLocalAuth(file)).issueToken();

      const reloaded = await loadLocalAuth(file);

      expect(await reloaded.verifyRequest(`Bearer ${token}`)).toMatchObject({ ok: true });
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

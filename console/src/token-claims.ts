/**
 * What the console knows of a token: its scopes, read from the JWT for display only (the API verifies the
 * token and enforces the scopes). Pure, so unit tests run it without a browser.
 */

export const READ_SCOPE = 'eventstream/read';
export const WRITE_SCOPE = 'eventstream/write';

export interface Session {
  token: string;
  scopes: string[];
  /** Seconds since the epoch, when the token says. */
  expiresAt?: number;
  subject?: string;
  canWrite: boolean;
}

/** The claims of a JWT, unverified (the API verifies); undefined when it is not a JWT. */
export const decodeClaims = (token: string): Record<string, unknown> | undefined => {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
    const claims: unknown = JSON.parse(json);
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** A session from a token, or an explanation of why the token cannot be one. */
export const sessionFromToken = (raw: string): Session | { error: string } => {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const claims = decodeClaims(token);
  if (!claims) return { error: 'This is not a JWT: paste the output of npm run token.' };
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
  const expiresAt = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (expiresAt !== undefined && expiresAt * 1000 <= Date.now()) return { error: 'This token has expired.' };
  return {
    token,
    scopes,
    ...(expiresAt !== undefined && { expiresAt }),
    ...(typeof claims.sub === 'string' && { subject: claims.sub }),
    canWrite: scopes.includes(WRITE_SCOPE),
  };
};

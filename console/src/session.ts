import { type Session, sessionFromToken } from './token-claims.ts';

/**
 * The signed-in token, kept in sessionStorage: it lives as long as the tab, is not shared with other tabs,
 * and is gone when the browser closes.
 */

const KEY = 'event-stream-console.token';

export const storedSession = (): Session | undefined => {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  const session = sessionFromToken(token);
  if ('error' in session) {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
  return session;
};

export const storeSession = (session: Session): void => sessionStorage.setItem(KEY, session.token);

export const clearSession = (): void => sessionStorage.removeItem(KEY);

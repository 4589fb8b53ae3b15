import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { EventStreamClient } from '../../api/client.ts';
import type { Session } from './token-claims.ts';

/** What every page needs: the API client with the session's token, and what that token allows. */
export interface ConsoleContextValue {
  api: EventStreamClient;
  session: Session;
  signOut: () => void;
}

export const ConsoleContext = createContext<ConsoleContextValue | undefined>(undefined);

export const useConsole = (): ConsoleContextValue => {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside a signed-in console');
  return value;
};

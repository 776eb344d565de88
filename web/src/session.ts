import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { License, Me } from './api-types';

export interface Session {
  readonly me: Me;
  readonly license: License;
}

export const SessionContext = createContext<Session | null>(null);

/** Who is signed in and what they may do; pages render inside the app, so the session is always there. */
export function useSession(): Session & { isAdmin: boolean; canOperate: boolean } {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  const roles = session.me.roles;
  return {
    ...session,
    isAdmin: roles.includes('admin'),
    canOperate: roles.includes('admin') || roles.includes('operator'),
  };
}

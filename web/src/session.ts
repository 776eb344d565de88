import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { License, Me } from './api-types';

export interface Session {
  readonly me: Me;
  readonly license: License;
}

export const SessionContext = createContext<Session | null>(null);

/** What the roles of whoever is signed in let them do: operators run things, admins also change them. */
export function permissionsOf(me: Me): { isAdmin: boolean; canOperate: boolean } {
  const isAdmin = me.roles.includes('admin');
  return { isAdmin, canOperate: isAdmin || me.roles.includes('operator') };
}

/** Who is signed in and what they may do; pages render inside the app, so the session is always there. */
export function useSession(): Session & { isAdmin: boolean; canOperate: boolean } {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return { ...session, ...permissionsOf(session.me) };
}

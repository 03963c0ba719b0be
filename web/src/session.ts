import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './types.js';

export interface Session {
  user: User;
  setUser: (user: User) => void;
}

export const SessionContext = createContext<Session>(null as unknown as Session);

export const useSession = () => useContext(SessionContext);

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me } from './types.js';

export interface Session {
  user: Me;
  setUser: (user: Me) => void;
}

export const SessionContext = createContext<Session>(null as unknown as Session);

export const useSession = () => useContext(SessionContext);

import type { StreamingToken } from '../../api/types.ts';

/** A token used within this window counts as "in use": rotating it away would break someone. */
export const RECENT_USE_DAYS = 7;

export function usedRecently(token: StreamingToken, now: number = Date.now()): boolean {
  if (!token.lastUsedAt) return false;
  return now - Date.parse(token.lastUsedAt) < RECENT_USE_DAYS * 24 * 60 * 60 * 1000;
}

export function recentClientsOf(token: StreamingToken, now: number = Date.now()) {
  const since = now - RECENT_USE_DAYS * 24 * 60 * 60 * 1000;
  return token.recentClients.filter((c) => Date.parse(c.lastUsedAt) >= since);
}

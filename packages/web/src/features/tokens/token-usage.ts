import type { RecentClient, StreamingToken } from '../../api/types.ts';

const HOUR = 60 * 60 * 1000;

/** Used within the last hour: something is running with this token right now. */
export const ACTIVE_WINDOW_MS = HOUR;
/** Used within the last week: a job that runs now and then may still depend on it. */
export const RECENT_USE_DAYS = 7;
const RECENT_WINDOW_MS = RECENT_USE_DAYS * 24 * HOUR;

export type TokenUsage = 'active' | 'recent' | 'idle' | 'never';

export function usageOf(token: StreamingToken, now: number = Date.now()): TokenUsage {
  if (!token.lastUsedAt) return 'never';
  const age = now - Date.parse(token.lastUsedAt);
  if (age < ACTIVE_WINDOW_MS) return 'active';
  if (age < RECENT_WINDOW_MS) return 'recent';
  return 'idle';
}

/** The clients that used the token within the last week, most recent first. */
export function recentClientsOf(token: StreamingToken, now: number = Date.now()): RecentClient[] {
  return token.recentClients
    .filter((c) => now - Date.parse(c.lastUsedAt) < RECENT_WINDOW_MS)
    .sort((a, b) => Date.parse(b.lastUsedAt) - Date.parse(a.lastUsedAt));
}

const dayMs = 24 * 60 * 60 * 1000;
const isoDate = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * `--expires`: `<N>d` (N days from now) or an ISO 8601 date (`2026-03-01`, which is 00:00 UTC)
 * or date-time. `null` (with the reason) when it is neither or not in the future; the portal
 * decides the longest lifetime.
 */
export function parseExpiry(text: string, now: Date): { expiresAt: Date } | { problem: string } {
  const trimmed = text.trim();
  const days = /^(\d{1,4})d$/.exec(trimmed);
  if (days) {
    const count = Number(days[1]);
    if (count < 1) return { problem: '--expires must be at least 1d.' };
    return { expiresAt: new Date(now.getTime() + count * dayMs) };
  }
  const date = isoDate.test(trimmed) ? new Date(trimmed) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return { problem: '--expires must be a number of days (30d) or an ISO date (2026-03-01).' };
  }
  if (date.getTime() <= now.getTime()) return { problem: '--expires must be in the future.' };
  return { expiresAt: date };
}

/** What a personal access token may be: rules only, no storage. */
export const patPrefix = 'sgp_';
export const maxPatLifetimeMs = 366 * 24 * 60 * 60 * 1000; // one year, leap day included
export const maxPatNameLength = 100;

export function patExpiryProblem(expiresAt: Date, now: Date): string | null {
  if (Number.isNaN(expiresAt.getTime())) return 'expiresAt must be an ISO 8601 date-time.';
  if (expiresAt.getTime() <= now.getTime()) return 'expiresAt must be in the future.';
  if (expiresAt.getTime() - now.getTime() > maxPatLifetimeMs)
    return 'A personal access token lives at most one year.';
  return null;
}

export function patNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'A personal access token needs a name.';
  if (trimmed.length > maxPatNameLength) return `A name has at most ${maxPatNameLength} characters.`;
  return null;
}

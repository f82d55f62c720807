import type { Pat } from './api-types.ts';

export function patStatus(pat: Pat, now: Date): 'revoked' | 'expired' | 'active' {
  if (pat.revokedAt) return 'revoked';
  return new Date(pat.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

/** `all`, `acme,beta`, with `(read-only)` when it is. */
export function patScope(pat: Pat): string {
  const where = pat.workspaces ? pat.workspaces.join(',') : 'all';
  return pat.readOnly ? `${where} (read-only)` : where;
}

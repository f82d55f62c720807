import type { PersonalAccessToken } from '@streamgate/contract';

export function patStatus(pat: PersonalAccessToken, now: Date): 'revoked' | 'expired' | 'active' {
  if (pat.revokedAt) return 'revoked';
  return new Date(pat.expiresAt).getTime() <= now.getTime() ? 'expired' : 'active';
}

/** `all`, `acme,beta`, with `(read-only)` when it is. */
export function patScope(pat: PersonalAccessToken): string {
  const where = pat.workspaces ? pat.workspaces.join(',') : 'all';
  return pat.readOnly ? `${where} (read-only)` : where;
}

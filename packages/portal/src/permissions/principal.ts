import type { Role } from './roles.ts';

/** What a personal access token narrows its owner's power to. */
export interface PatScope {
  patId: string;
  /** null: every workspace the user may see. */
  workspaces: readonly string[] | null;
  readOnly: boolean;
}

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  organisationRole: Role;
  /** The user's per-workspace overrides, read fresh from storage on every request. */
  workspaceRoles: ReadonlyMap<string, Role>;
  via: 'session' | 'pat';
  pat: PatScope | null;
}

export interface StreamingPrincipal {
  kind: 'streaming';
  workspaceId: string;
  tokenId: string;
}

export type Principal = UserPrincipal | StreamingPrincipal;

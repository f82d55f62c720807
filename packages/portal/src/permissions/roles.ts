export const roles = ['Admin', 'Manager', 'Editor', 'Viewer', 'None'] as const;
export type Role = (typeof roles)[number];

const rank: Record<Role, number> = { None: 0, Viewer: 1, Editor: 2, Manager: 3, Admin: 4 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (roles as readonly string[]).includes(value);
}

export function atLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

/**
 * A per-workspace role replaces the inherited organisation role. An organisation Admin stays
 * Admin everywhere: otherwise an override could lock the organisation out of its own workspace.
 */
export function effectiveRole(organisationRole: Role, workspaceRole: Role | undefined): Role {
  if (organisationRole === 'Admin') return 'Admin';
  return workspaceRole ?? organisationRole;
}

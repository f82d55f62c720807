import type { Role } from '@streamgate/contract';

// The role names are the contract's; how they rank and combine is the portal's rule.
export { isRole, type Role, roles } from '@streamgate/contract';

const rank: Record<Role, number> = { None: 0, Viewer: 1, Editor: 2, Manager: 3, Admin: 4 };

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

import type { Principal, UserPrincipal } from './principal.ts';
import { atLeast, effectiveRole, type Role } from './roles.ts';

/**
 * The permission matrix. Workspace actions are checked against a workspace; organisation
 * actions are not. `write: false` marks what a read-only PAT may still do. `session: true`
 * marks what needs a browser session (a password login), not a token: making credentials.
 */
const actions = {
  'workspace.read': { scope: 'workspace', minimum: 'Viewer', streaming: true, write: false },
  'workspace.delete': { scope: 'workspace', minimum: 'Admin', streaming: false, write: true },
  'streamingTokens.read': { scope: 'workspace', minimum: 'Viewer', streaming: false, write: false },
  // A token value grants produce, consume and topic creation: seeing one is write-grade.
  'streamingTokens.viewValues': { scope: 'workspace', minimum: 'Editor', streaming: false, write: true },
  'streamingTokens.rotate': { scope: 'workspace', minimum: 'Admin', streaming: false, write: true },
  'topics.read': { scope: 'workspace', minimum: 'Viewer', streaming: true, write: false },
  'topics.create': { scope: 'workspace', minimum: 'Editor', streaming: true, write: true },
  'topics.delete': { scope: 'workspace', minimum: 'Editor', streaming: false, write: true },
  'broker.connect': { scope: 'workspace', minimum: null, streaming: true, write: false },
  'deployments.read': { scope: 'workspace', minimum: 'Viewer', streaming: true, write: false },
  'deployments.operate': { scope: 'workspace', minimum: 'Editor', streaming: false, write: true },
  'deployments.readLogs': { scope: 'workspace', minimum: 'Editor', streaming: false, write: false },
  'deployments.manage': { scope: 'workspace', minimum: 'Manager', streaming: false, write: true },
  'members.read': { scope: 'workspace', minimum: 'Manager', streaming: false, write: false },
  'members.write': { scope: 'workspace', minimum: 'Admin', streaming: false, write: true },
  'audit.read': { scope: 'workspace', minimum: 'Admin', streaming: false, write: false },
  'workspace.create': { scope: 'organisation', minimum: 'Admin', streaming: false, write: true },
  'users.read': { scope: 'organisation', minimum: 'Admin', streaming: false, write: false },
  'users.write': { scope: 'organisation', minimum: 'Admin', streaming: false, write: true },
  'organisationAudit.read': { scope: 'organisation', minimum: 'Admin', streaming: false, write: false },
  'signingKeys.rotate': { scope: 'organisation', minimum: 'Admin', streaming: false, write: true },
  'operations.readDetails': { scope: 'organisation', minimum: 'Admin', streaming: false, write: false },
  'profile.read': { scope: 'self', minimum: null, streaming: false, write: false },
  'profile.write': { scope: 'self', minimum: null, streaming: false, write: true },
  // A PAT that could mint PATs could outlive its own revocation and expiry through its children.
  'profile.createPat': { scope: 'self', minimum: null, streaming: false, write: true, session: true },
  'profile.changePassword': { scope: 'self', minimum: null, streaming: false, write: true, session: true },
} as const satisfies Record<
  string,
  {
    scope: 'workspace' | 'organisation' | 'self';
    minimum: Role | null;
    streaming: boolean;
    write: boolean;
    session?: boolean;
  }
>;

export type Action = keyof typeof actions;
export const allActions = Object.keys(actions) as Action[];

/** Whether an action applies to a workspace, the organisation or the caller's own profile. */
export function actionScope(action: Action): 'workspace' | 'organisation' | 'self' {
  return actions[action].scope;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

const allow: Decision = { allowed: true };
const deny = (reason: string): Decision => ({ allowed: false, reason });

/** The caller's effective role in a workspace, before any PAT narrowing. */
export function userRoleIn(user: UserPrincipal, workspaceId: string): Role {
  return effectiveRole(user.organisationRole, user.workspaceRoles.get(workspaceId));
}

/** Whether a PAT's narrowing lets it near this workspace at all. */
function patReaches(user: UserPrincipal, workspaceId: string | null): boolean {
  if (!user.pat || user.pat.workspaces === null) return true;
  return workspaceId !== null && user.pat.workspaces.includes(workspaceId);
}

export function can(principal: Principal, action: Action, workspaceId: string | null = null): Decision {
  const rule = actions[action];
  if (principal.kind === 'streaming') {
    if (!rule.streaming)
      return deny(`A streaming token cannot ${describe(action)}; use a personal access token.`);
    if (workspaceId !== principal.workspaceId)
      return deny('This streaming token belongs to another workspace.');
    return allow;
  }

  if ('session' in rule && rule.session && principal.via !== 'session') {
    return deny(`Only a browser session (a password login) can ${describe(action)}; a token cannot.`);
  }

  if (principal.pat?.readOnly && rule.write) {
    return deny(`This personal access token is read-only; it cannot ${describe(action)}.`);
  }

  if (rule.scope === 'self') {
    // A narrowed PAT must not mint itself a broader one.
    if (rule.write && principal.pat && principal.pat.workspaces !== null) {
      return deny(
        'A personal access token narrowed to some workspaces cannot manage personal access tokens.',
      );
    }
    return allow;
  }

  if (rule.scope === 'organisation') {
    if (principal.pat && principal.pat.workspaces !== null) {
      return deny(`A personal access token narrowed to some workspaces cannot ${describe(action)}.`);
    }
    if (!atLeast(principal.organisationRole, rule.minimum)) {
      return deny(`Only an organisation Admin can ${describe(action)}.`);
    }
    return allow;
  }

  if (workspaceId === null) throw new TypeError(`Action ${action} needs a workspace`);
  if (!patReaches(principal, workspaceId)) {
    return deny(`This personal access token is not valid for workspace '${workspaceId}'.`);
  }
  if (rule.minimum === null) {
    return deny(`Only a streaming token of workspace '${workspaceId}' can ${describe(action)}.`);
  }
  const role = userRoleIn(principal, workspaceId);
  if (role === 'None') return deny(`You have no access to workspace '${workspaceId}'.`);
  if (!atLeast(role, rule.minimum)) {
    const needed = rule.minimum === 'Admin' ? 'an Admin' : `a ${rule.minimum} or above`;
    return deny(
      `Only ${needed} of workspace '${workspaceId}' can ${describe(action)}; your role is ${role}.`,
    );
  }
  return allow;
}

/** Whether a principal can see a workspace at all (for listing). */
export function canSeeWorkspace(principal: Principal, workspaceId: string): boolean {
  return can(principal, 'workspace.read', workspaceId).allowed;
}

const descriptions: Record<Action, string> = {
  'workspace.read': 'read this workspace',
  'workspace.delete': 'delete this workspace',
  'streamingTokens.read': 'list streaming tokens',
  'streamingTokens.viewValues': 'view streaming token values',
  'streamingTokens.rotate': 'rotate streaming tokens',
  'topics.read': 'read topics',
  'topics.create': 'create topics',
  'topics.delete': 'delete topics',
  'broker.connect': 'get broker access',
  'deployments.read': 'read deployments',
  'deployments.operate': 'start, stop or restart deployments',
  'deployments.readLogs': 'read deployment logs',
  'deployments.manage': 'create, change or delete deployments',
  'members.read': 'list members',
  'members.write': 'change member roles',
  'audit.read': 'read the audit log',
  'workspace.create': 'create workspaces',
  'users.read': 'list users',
  'users.write': 'manage users',
  'organisationAudit.read': 'read the organisation audit log',
  'signingKeys.rotate': 'rotate signing keys',
  'operations.readDetails': 'read the details of the readiness checks',
  'profile.read': 'read personal access tokens',
  'profile.write': 'revoke personal access tokens',
  'profile.createPat': 'create personal access tokens',
  'profile.changePassword': 'change a password',
};

function describe(action: Action): string {
  return descriptions[action];
}

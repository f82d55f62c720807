import type { Command } from './command.ts';
import { auditList } from './commands/audit-list.ts';
import { authLogin } from './commands/auth-login.ts';
import { authLogout } from './commands/auth-logout.ts';
import { authWhoami } from './commands/auth-whoami.ts';
import { deploymentsCreate } from './commands/deployments-create.ts';
import { deploymentsDelete } from './commands/deployments-delete.ts';
import { deploymentsList } from './commands/deployments-list.ts';
import { deploymentsLogs } from './commands/deployments-logs.ts';
import { deploymentsRestart } from './commands/deployments-restart.ts';
import { deploymentsShow } from './commands/deployments-show.ts';
import { deploymentsStart } from './commands/deployments-start.ts';
import { deploymentsStop } from './commands/deployments-stop.ts';
import { deploymentsUpdate } from './commands/deployments-update.ts';
import { envPrint } from './commands/env-print.ts';
import { membersList } from './commands/members-list.ts';
import { membersReset } from './commands/members-reset.ts';
import { membersSet } from './commands/members-set.ts';
import { patsCreate } from './commands/pats-create.ts';
import { patsList } from './commands/pats-list.ts';
import { patsRevoke } from './commands/pats-revoke.ts';
import { tokensRotate } from './commands/tokens-rotate.ts';
import { tokensRotationCancel } from './commands/tokens-rotation-cancel.ts';
import { tokensRotationShow } from './commands/tokens-rotation-show.ts';
import { tokensShow } from './commands/tokens-show.ts';
import { topicsCreate } from './commands/topics-create.ts';
import { topicsDelete } from './commands/topics-delete.ts';
import { topicsList } from './commands/topics-list.ts';
import { workspacesCreate } from './commands/workspaces-create.ts';
import { workspacesDelete } from './commands/workspaces-delete.ts';
import { workspacesList } from './commands/workspaces-list.ts';

/** Every command, in the order help lists them. */
export const commands: readonly Command[] = [
  authLogin,
  authLogout,
  authWhoami,
  workspacesList,
  workspacesCreate,
  workspacesDelete,
  tokensShow,
  tokensRotate,
  tokensRotationShow,
  tokensRotationCancel,
  envPrint,
  deploymentsList,
  deploymentsShow,
  deploymentsCreate,
  deploymentsUpdate,
  deploymentsStart,
  deploymentsStop,
  deploymentsRestart,
  deploymentsLogs,
  deploymentsDelete,
  patsList,
  patsCreate,
  patsRevoke,
  topicsList,
  topicsCreate,
  topicsDelete,
  membersList,
  membersSet,
  membersReset,
  auditList,
];

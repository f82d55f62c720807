import type { AuditAction } from '@streamgate/contract';
import type { Clock } from '../clock.ts';
import { randomId } from '../crypto/hashing.ts';
import type { Principal } from '../permissions/principal.ts';
import type { AuditRecord, AuditStorage } from '../storage/storage.ts';

export type Actor =
  | { kind: 'principal'; principal: Principal }
  | { kind: 'anonymous'; label: string }
  | { kind: 'system' };

export interface AuditEvent {
  actor: Actor;
  action: AuditAction;
  workspaceId?: string | null;
  target?: string | null;
  details?: Record<string, unknown>;
  address?: string | null;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<void>;
  /** The entry for an event, for a caller that writes it inside its own transaction. */
  entry(event: AuditEvent): AuditRecord;
}

/** Entry ids sort by time, so paging with `before` follows the log's order. */
function entryId(at: Date): string {
  return `${at.getTime().toString().padStart(15, '0')}-${randomId()}`;
}

function describeActor(
  actor: Actor,
  userLabel: (principal: Principal) => string,
): Pick<AuditRecord, 'actorKind' | 'actorId' | 'actorLabel'> {
  if (actor.kind === 'system') return { actorKind: 'system', actorId: null, actorLabel: 'system' };
  if (actor.kind === 'anonymous') return { actorKind: 'anonymous', actorId: null, actorLabel: actor.label };
  const principal = actor.principal;
  if (principal.kind === 'streaming') {
    return {
      actorKind: 'streaming',
      actorId: principal.tokenId,
      actorLabel: `streaming token of ${principal.workspaceId}`,
    };
  }
  return { actorKind: 'user', actorId: principal.userId, actorLabel: userLabel(principal) };
}

/** A PAT's actions are the user's, marked with the PAT that did them. */
function viaPat(actor: Actor): Record<string, unknown> {
  if (actor.kind !== 'principal' || actor.principal.kind !== 'user' || !actor.principal.pat) return {};
  return { via: 'pat', patId: actor.principal.pat.patId };
}

export function createAuditLog(deps: { store: AuditStorage; clock: Clock }): AuditLog {
  const entry = (event: AuditEvent): AuditRecord => {
    const at = deps.clock.now();
    return {
      id: entryId(at),
      at,
      ...describeActor(event.actor, (p) => (p.kind === 'user' ? p.email : '')),
      action: event.action,
      workspaceId: event.workspaceId ?? null,
      target: event.target ?? null,
      details: { ...viaPat(event.actor), ...event.details },
      address: event.address ?? null,
    };
  };
  return {
    entry,
    async record(event) {
      await deps.store.appendAudit(entry(event));
    },
  };
}

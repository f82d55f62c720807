import type { AuditRecord } from '../src/storage/storage.ts';

let serial = 0;

/** The audit entry a rotation carries into its transaction (tests only need it to be unique). */
export function rotationAudit(workspaceId: string): AuditRecord {
  return {
    id: `${Date.now().toString().padStart(15, '0')}-rot${(serial++).toString(36)}`,
    at: new Date(),
    actorKind: 'system',
    actorId: null,
    actorLabel: 'contract-test',
    action: 'streaming_tokens.rotate',
    workspaceId,
    target: null,
    details: {},
    address: null,
  };
}

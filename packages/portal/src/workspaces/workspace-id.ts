/**
 * Workspace ids prefix Kafka topic names, consumer groups and transactional ids
 * (`{workspaceId}-...`), and the broker's ACLs are prefixed. So an id must never be a
 * `-`-prefix of another: if `acme` exists, its ACLs on `acme-` would cover `acme-prod-...`.
 * The id rule itself is the contract's (`workspaceIdProblem`); this is the part that needs the
 * other ids: the existing id whose Kafka prefix would overlap the candidate's, if any.
 */
export function prefixCollision(candidate: string, existing: readonly string[]): string | null {
  for (const other of existing) {
    if (other === candidate) continue;
    if (candidate.startsWith(`${other}-`) || other.startsWith(`${candidate}-`)) return other;
  }
  return null;
}

/**
 * Workspace ids prefix Kafka topic names, consumer groups and transactional ids
 * (`{workspaceId}-...`), and the broker's ACLs are prefixed. So an id must never be a
 * `-`-prefix of another: if `acme` exists, its ACLs on `acme-` would cover `acme-prod-...`.
 */
export const workspaceIdPattern = '^[a-z0-9]+(-[a-z0-9]+)*$';
const pattern = new RegExp(workspaceIdPattern);
export const maxWorkspaceIdLength = 64;

export function workspaceIdProblem(candidate: string): string | null {
  if (candidate.length === 0) return 'A workspace id cannot be empty.';
  if (candidate.length > maxWorkspaceIdLength)
    return `A workspace id has at most ${maxWorkspaceIdLength} characters.`;
  if (!pattern.test(candidate)) {
    return 'A workspace id is lowercase letters and digits in groups joined by single hyphens (e.g. acme-dev).';
  }
  return null;
}

/** The existing id whose Kafka prefix would overlap the candidate's, if any. */
export function prefixCollision(candidate: string, existing: readonly string[]): string | null {
  for (const other of existing) {
    if (other === candidate) continue;
    if (candidate.startsWith(`${other}-`) || other.startsWith(`${candidate}-`)) return other;
  }
  return null;
}

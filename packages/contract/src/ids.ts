/**
 * Workspace ids prefix Kafka topic names, consumer groups and transactional ids
 * (`{workspaceId}-...`), and the broker's ACLs are prefixed. So an id must never be a
 * `-`-prefix of another: if `acme` exists, its ACLs on `acme-` would cover `acme-prod-...`.
 */
export const workspaceIdPattern = '^[a-z0-9]+(-[a-z0-9]+)*$';
export const maxWorkspaceIdLength = 64;
const pattern = new RegExp(workspaceIdPattern);

/** Why a candidate is not a workspace id, or null when it is one. */
export function workspaceIdProblem(candidate: string): string | null {
  if (candidate.length === 0) return 'A workspace id cannot be empty.';
  if (candidate.length > maxWorkspaceIdLength)
    return `A workspace id has at most ${maxWorkspaceIdLength} characters.`;
  if (!pattern.test(candidate)) {
    return 'A workspace id is lowercase letters and digits in groups joined by single hyphens (e.g. acme-dev).';
  }
  return null;
}

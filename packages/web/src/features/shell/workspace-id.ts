// The portal's rule for workspace ids (docs/api.md): lower-case words joined by single dashes.
export const WORKSPACE_ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const WORKSPACE_ID_MAX = 64;

/** A workspace id suggested from its display name: "Acme Production" → "acme-production". */
export function suggestWorkspaceId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, WORKSPACE_ID_MAX)
    .replace(/-+$/, '');
}

export function workspaceIdProblem(id: string): string | null {
  if (!id) return 'Give the workspace an id';
  if (id.length > WORKSPACE_ID_MAX) return `At most ${WORKSPACE_ID_MAX} characters`;
  if (!WORKSPACE_ID_PATTERN.test(id)) return 'Lower-case letters and digits, words joined by single dashes';
  return null;
}

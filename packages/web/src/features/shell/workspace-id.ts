import { maxWorkspaceIdLength } from '@streamgate/contract';

/** A workspace id suggested from its display name: "Acme Production" → "acme-production". */
export function suggestWorkspaceId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxWorkspaceIdLength)
    .replace(/-+$/, '');
}

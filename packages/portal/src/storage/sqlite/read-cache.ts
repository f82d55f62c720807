import type { StreamingTokenRecord, WorkspaceRecord } from '../records.ts';
import * as rows from '../rows.ts';
import type { SqliteAccess } from './connection.ts';

/** Entries kept per map at most; a full map starts over (the hot set refills it at once). */
const maxCached = 10_000;

export interface ReadCache {
  /** The token with this hash, from memory or else from `load`. */
  token(tokenHash: string, load: () => StreamingTokenRecord | null): StreamingTokenRecord | null;
  workspace(workspaceId: string, load: () => WorkspaceRecord | null): WorkspaceRecord | null;
  /** Called in the same synchronous step as every write that changes a workspace or its tokens. */
  forgetWorkspace(workspaceId: string): void;
  clear(): void;
}

/**
 * The two reads of every streaming-token request (the token by its hash, its workspace), kept in
 * memory. Every write passes through the one process that holds the file's lock, and drops what
 * it changes before it returns: there is no moment at which a deactivated token is still found.
 * Callers get copies, so none can change what the next one reads.
 */
export function createReadCache(): ReadCache {
  const tokensByHash = new Map<string, StreamingTokenRecord>();
  const workspacesById = new Map<string, WorkspaceRecord>();
  const read = <V extends object>(cache: Map<string, V>, key: string, load: () => V | null): V | null => {
    let value = cache.get(key);
    if (!value) {
      const loaded = load();
      if (!loaded) return null;
      if (cache.size >= maxCached) cache.clear();
      cache.set(key, loaded);
      value = loaded;
    }
    return { ...value };
  };

  return {
    token: (tokenHash, load) => read(tokensByHash, tokenHash, load),
    workspace: (workspaceId, load) => read(workspacesById, workspaceId, load),
    forgetWorkspace(workspaceId) {
      workspacesById.delete(workspaceId);
      for (const [hash, token] of tokensByHash)
        if (token.workspaceId === workspaceId) tokensByHash.delete(hash);
    },
    clear() {
      tokensByHash.clear();
      workspacesById.clear();
    },
  };
}

/** A workspace by id through the cache (the workspace and token storage both read it). */
export function cachedWorkspace(
  db: SqliteAccess,
  cache: ReadCache,
  workspaceId: string,
): WorkspaceRecord | null {
  return cache.workspace(workspaceId, () => {
    const row = db.get('SELECT * FROM workspaces WHERE workspace_id = ?', workspaceId);
    return row ? rows.workspace(row) : null;
  });
}

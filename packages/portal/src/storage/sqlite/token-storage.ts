import * as rows from '../rows.ts';
import type { RotationOutcome, StreamingTokenRecord, TokenStorage } from '../storage.ts';
import { streamingTokenColumns, streamingTokenValues } from '../values.ts';
import { insertAudit } from './audit-storage.ts';
import { ms, parametersFor, type SqliteAccess } from './connection.ts';
import { cachedWorkspace, type ReadCache } from './read-cache.ts';

export function insertToken(db: SqliteAccess, token: StreamingTokenRecord): void {
  db.run(
    `INSERT INTO streaming_tokens (${streamingTokenColumns}) VALUES (${parametersFor(streamingTokenColumns)})`,
    ...streamingTokenValues(token),
  );
}

const activeTokensOf = (db: SqliteAccess, workspaceId: string) =>
  db.all('SELECT * FROM streaming_tokens WHERE workspace_id = ? AND slot IS NOT NULL', workspaceId);

/** Each workspace's streaming token pair; tokens found by hash are kept in the read cache. */
export function tokenStorage(db: SqliteAccess, cache: ReadCache): TokenStorage {
  const findByHash = (tokenHash: string) =>
    cache.token(tokenHash, () => {
      const row = db.get('SELECT * FROM streaming_tokens WHERE token_hash = ?', tokenHash);
      return row ? rows.streamingToken(row) : null;
    });
  return {
    async activeTokenPair(workspaceId) {
      return rows.activePair(activeTokensOf(db, workspaceId));
    },
    async findTokenByHash(tokenHash) {
      return findByHash(tokenHash);
    },
    async findTokenWithWorkspace(tokenHash) {
      // Two reads of the cache, with nothing in between: node:sqlite is synchronous, and every
      // write drops what it changes in the same synchronous step.
      const token = findByHash(tokenHash);
      const workspace = token && cachedWorkspace(db, cache, token.workspaceId);
      return token && workspace ? { token, workspace } : null;
    },
    async listActiveTokens() {
      return db
        .all('SELECT * FROM streaming_tokens WHERE slot IS NOT NULL ORDER BY workspace_id, slot')
        .map(rows.streamingToken);
    },
    async rotateTokens({ workspaceId, rotation, audit }): Promise<RotationOutcome> {
      cache.forgetWorkspace(workspaceId);
      // BEGIN IMMEDIATE holds the write lock, so the pair read here is the pair we change.
      return db.transaction(() => {
        const pair = rows.activePair(activeTokensOf(db, workspaceId));
        if (pair?.token1.id !== rotation.from.token1 || pair.token2.id !== rotation.from.token2)
          return 'stale';
        // Deactivate before promoting: one token per slot after each statement.
        for (const { id, slot, deactivatedAt } of [rotation.deactivate, rotation.promote])
          db.run(
            'UPDATE streaming_tokens SET slot = ?, deactivated_at = ? WHERE id = ?',
            slot,
            ms(deactivatedAt),
            id,
          );
        insertToken(db, rotation.create);
        const { from, to } = rotation.moveDeployments;
        db.run(
          'UPDATE deployments SET token_id = ?, updated_at = ? WHERE token_id = ?',
          to,
          ms(rotation.at),
          from,
        );
        insertAudit(db, audit);
        return 'rotated';
      });
    },
  };
}

import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { RotationOutcome, StreamingTokenRecord, TokenStorage } from '../storage.ts';
import { qualified, streamingTokenColumns, streamingTokenValues } from '../values.ts';
import { insertAudit } from './audit-storage.ts';
import { createBatchedLookup } from './batched-lookup.ts';
import { execute, ms, parametersFor, prepared, type Queryable, query, queryOne } from './query.ts';
import { transaction } from './transaction.ts';

export async function insertToken(db: Queryable, token: StreamingTokenRecord): Promise<void> {
  await execute(
    db,
    `INSERT INTO streaming_tokens (${streamingTokenColumns}) VALUES (${parametersFor(streamingTokenColumns)})`,
    streamingTokenValues(token),
  );
}

// No cache: every instance must refuse a rotated token on its very next request, so each
// request reads the token (and its workspace, in the same statement) from the database; the
// reads of requests that arrive together share one statement (batched-lookup.ts).
// Prepared statements name their columns: a `*` would fail once a migration adds one.
const tokensWithWorkspace = prepared(
  'tokens_with_workspace',
  `SELECT ${qualified(streamingTokenColumns, 't')}, w.name AS workspace_name, w.created_at AS workspace_created_at
   FROM streaming_tokens t JOIN workspaces w ON w.workspace_id = t.workspace_id
   WHERE t.token_hash = ANY($1::text[])`,
);

/** Each workspace's streaming token pair, and the tokens rotations deactivated. */
export function tokenStorage(pool: Pool): TokenStorage {
  const findWithWorkspace = createBatchedLookup(
    pool,
    tokensWithWorkspace,
    'token_hash',
    rows.tokenWithWorkspace,
  );
  return {
    async activeTokenPair(workspaceId) {
      return rows.activePair(
        await query(pool, 'SELECT * FROM streaming_tokens WHERE workspace_id = $1 AND slot IS NOT NULL', [
          workspaceId,
        ]),
      );
    },
    async findTokenByHash(tokenHash) {
      const row = await queryOne(pool, 'SELECT * FROM streaming_tokens WHERE token_hash = $1', [tokenHash]);
      return row ? rows.streamingToken(row) : null;
    },
    findTokenWithWorkspace: findWithWorkspace,
    async listActiveTokens() {
      const active = await query(
        pool,
        'SELECT * FROM streaming_tokens WHERE slot IS NOT NULL ORDER BY workspace_id, slot',
      );
      return active.map(rows.streamingToken);
    },
    async rotateTokens({ workspaceId, rotation, audit }) {
      return transaction(pool, async (client): Promise<RotationOutcome> => {
        // FOR UPDATE makes a concurrent rotation of the same pair wait for our COMMIT; READ
        // COMMITTED then re-reads the rows it locked, finds Token 1 deactivated and reports
        // 'stale'. Locking in id order matches token-usage-storage.ts, so the two never deadlock.
        const pair = rows.activePair(
          await query(
            client,
            'SELECT * FROM streaming_tokens WHERE workspace_id = $1 AND slot IS NOT NULL ORDER BY id FOR UPDATE',
            [workspaceId],
          ),
        );
        if (pair?.token1.id !== rotation.from.token1 || pair.token2.id !== rotation.from.token2)
          return 'stale';
        // Deactivate before promoting: the partial unique index on (workspace_id, slot) holds
        // after each statement.
        for (const { id, slot, deactivatedAt } of [rotation.deactivate, rotation.promote]) {
          await execute(client, 'UPDATE streaming_tokens SET slot = $1, deactivated_at = $2 WHERE id = $3', [
            slot,
            ms(deactivatedAt),
            id,
          ]);
        }
        await insertToken(client, rotation.create);
        const { from, to } = rotation.moveDeployments;
        await execute(client, 'UPDATE deployments SET token_id = $1, updated_at = $2 WHERE token_id = $3', [
          to,
          ms(rotation.at),
          from,
        ]);
        await insertAudit(client, audit);
        return 'rotated';
      });
    },
  };
}

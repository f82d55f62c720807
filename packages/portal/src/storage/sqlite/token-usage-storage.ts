import * as rows from '../rows.ts';
import type { TokenUsageStorage } from '../storage.ts';
import { ms, type SqliteAccess } from './connection.ts';

/** When and from where each streaming token was last used, per client. */
export function tokenUsageStorage(db: SqliteAccess): TokenUsageStorage {
  return {
    async recordTokenUsage(usages) {
      db.transaction(() => {
        for (const usage of usages) {
          // The token may have been deleted with its workspace since the use was buffered.
          if (!db.get('SELECT 1 FROM streaming_tokens WHERE id = ?', usage.tokenId)) continue;
          db.run(
            `INSERT INTO token_usage (token_id, client_key, user_agent, address, deployment_id, last_used_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (token_id, client_key) DO UPDATE SET last_used_at = MAX(token_usage.last_used_at, excluded.last_used_at),
               user_agent = excluded.user_agent, address = excluded.address, deployment_id = excluded.deployment_id`,
            usage.tokenId,
            usage.clientKey,
            usage.userAgent,
            usage.address,
            usage.deploymentId,
            ms(usage.lastUsedAt),
          );
        }
      });
    },
    async tokenUsage(tokenIds) {
      if (tokenIds.length === 0) return [];
      const placeholders = tokenIds.map(() => '?').join(', ');
      return db
        .all(
          `SELECT * FROM token_usage WHERE token_id IN (${placeholders}) ORDER BY last_used_at DESC`,
          ...tokenIds,
        )
        .map(rows.tokenUsage);
    },
  };
}

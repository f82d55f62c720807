import type { Pool } from 'pg';
import * as rows from '../rows.ts';
import type { TopicStorage } from '../storage.ts';
import { topicColumns, topicValues } from '../values.ts';
import { execute, ms, parametersFor, query, queryOne } from './query.ts';

/** The topics each workspace asked for, and how far their creation on the broker got. */
export function topicStorage(pool: Pool): TopicStorage {
  return {
    async insertTopic(topic) {
      // Like the SQLite store: any unique conflict (the name in the workspace, or the Kafka name)
      // means "already exists"; every other error is thrown.
      const inserted = await execute(
        pool,
        `INSERT INTO topics (${topicColumns}) VALUES (${parametersFor(topicColumns)}) ON CONFLICT DO NOTHING`,
        topicValues(topic),
      );
      return inserted === 1;
    },
    async findTopic(workspaceId, name) {
      const row = await queryOne(pool, 'SELECT * FROM topics WHERE workspace_id = $1 AND name = $2', [
        workspaceId,
        name,
      ]);
      return row ? rows.topic(row) : null;
    },
    async listTopics(workspaceId) {
      return (
        await query(pool, 'SELECT * FROM topics WHERE workspace_id = $1 ORDER BY name', [workspaceId])
      ).map(rows.topic);
    },
    async updateTopic(workspaceId, name, changes) {
      // One statement: concurrent updates of different fields cannot undo each other.
      await execute(
        pool,
        `UPDATE topics SET
           status = COALESCE($3::text, status),
           last_error = CASE WHEN $4::boolean THEN $5::text ELSE last_error END,
           configuration = COALESCE($6::text, configuration),
           updated_at = $7
         WHERE workspace_id = $1 AND name = $2`,
        [
          workspaceId,
          name,
          changes.status ?? null,
          changes.lastError !== undefined,
          changes.lastError ?? null,
          changes.configuration ? JSON.stringify(changes.configuration) : null,
          ms(changes.updatedAt),
        ],
      );
    },
    async deleteTopic(workspaceId, name) {
      await execute(pool, 'DELETE FROM topics WHERE workspace_id = $1 AND name = $2', [workspaceId, name]);
    },
  };
}

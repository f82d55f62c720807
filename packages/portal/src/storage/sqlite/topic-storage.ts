import * as rows from '../rows.ts';
import type { TopicStorage } from '../storage.ts';
import { topicColumns, topicValues } from '../values.ts';
import { ms, parametersFor, type SqliteAccess } from './connection.ts';

/** The topics each workspace asked for, and how far their creation on the broker got. */
export function topicStorage(db: SqliteAccess): TopicStorage {
  const find = (workspaceId: string, name: string) => {
    const row = db.get('SELECT * FROM topics WHERE workspace_id = ? AND name = ?', workspaceId, name);
    return row ? rows.topic(row) : null;
  };
  return {
    async insertTopic(topic) {
      // Any unique conflict (the name in the workspace, or the Kafka name) means "already exists".
      const inserted = db.run(
        `INSERT INTO topics (${topicColumns}) VALUES (${parametersFor(topicColumns)}) ON CONFLICT DO NOTHING`,
        ...topicValues(topic),
      );
      return inserted === 1;
    },
    async findTopic(workspaceId, name) {
      return find(workspaceId, name);
    },
    async listTopics(workspaceId) {
      return db.all('SELECT * FROM topics WHERE workspace_id = ? ORDER BY name', workspaceId).map(rows.topic);
    },
    async updateTopic(workspaceId, name, changes) {
      // Read and write in one synchronous step: no other update can come in between.
      const current = find(workspaceId, name);
      if (!current) return;
      db.run(
        'UPDATE topics SET status = ?, last_error = ?, configuration = ?, updated_at = ? WHERE workspace_id = ? AND name = ?',
        changes.status ?? current.status,
        changes.lastError === undefined ? current.lastError : changes.lastError,
        JSON.stringify(changes.configuration ?? current.configuration),
        ms(changes.updatedAt),
        workspaceId,
        name,
      );
    },
    async deleteTopic(workspaceId, name) {
      db.run('DELETE FROM topics WHERE workspace_id = ? AND name = ?', workspaceId, name);
    },
  };
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStorageContract } from '../storage.contract.ts';
import { createSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamgate-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runStorageContract('sqlite', async () => createSqliteStore(join(dir, 'portal.db')));

describe('sqlite store: one portal process per file', () => {
  it('refuses a second store on a file another one holds, with a message that says why', async () => {
    const path = join(dir, 'owned.db');
    const first = createSqliteStore(path);
    await first.migrate();
    assert.throws(() => createSqliteStore(path), /serves one portal process/);
    await first.close();
    const second = createSqliteStore(path);
    await second.ping();
    await second.close();
  });
});

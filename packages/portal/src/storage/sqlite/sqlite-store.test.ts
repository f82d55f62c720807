import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runStorageContract } from '../storage.contract.ts';
import { createSqliteStore } from './sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'streamgate-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

runStorageContract('sqlite', async () => createSqliteStore(join(dir, 'portal.db')));

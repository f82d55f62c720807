import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { auditActions as cliActions } from '../../../cli/src/commands/audit-list.ts';
import { AUDIT_ACTIONS as webActions } from '../../../web/src/api/types.ts';
import { auditActions } from './audit-log.ts';

/**
 * The web UI (its filter) and the CLI (its help) each carry the list of audit actions, since
 * neither depends on the portal's code. This keeps every copy, and the API document, equal to
 * the list the portal writes.
 */
describe('audit actions contract', () => {
  it('the web UI and the CLI know exactly the actions the portal records', () => {
    assert.deepEqual([...webActions], [...auditActions]);
    assert.deepEqual([...cliActions], [...auditActions]);
  });

  it('docs/api.md lists every action', () => {
    const doc = readFileSync(new URL('../../../../docs/api.md', import.meta.url), 'utf8');
    const line = doc.split('\n').find((l) => l.startsWith('Actions: '));
    assert.ok(line, 'docs/api.md has an "Actions:" line');
    const listed = [...line.matchAll(/`([a-z_.]+)`/g)].map((m) => m[1]);
    assert.deepEqual(listed, [...auditActions]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workspaceIdProblem } from '@streamgate/contract';
import { suggestWorkspaceId } from './workspace-id.ts';

describe('workspace ids', () => {
  it('suggests an id from a display name', () => {
    assert.equal(suggestWorkspaceId('Acme Production'), 'acme-production');
    assert.equal(suggestWorkspaceId('  E2E -- demo!! '), 'e2e-demo');
    assert.equal(suggestWorkspaceId('Café Zürich'), 'cafe-zurich');
    assert.equal(suggestWorkspaceId('x'.repeat(80)).length, 64);
  });

  it('suggests only ids the portal accepts', () => {
    for (const name of [
      'Acme Production',
      '  E2E -- demo!! ',
      'Café Zürich',
      '-x-',
      'x'.repeat(80),
      `${'a'.repeat(63)} b`,
    ]) {
      const id = suggestWorkspaceId(name);
      assert.equal(workspaceIdProblem(id), null, `${JSON.stringify(name)} → ${JSON.stringify(id)}`);
    }
  });
});

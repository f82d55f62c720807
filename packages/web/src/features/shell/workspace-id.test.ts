import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suggestWorkspaceId, workspaceIdProblem } from './workspace-id.ts';

describe('workspace ids', () => {
  it('suggests an id from a display name', () => {
    assert.equal(suggestWorkspaceId('Acme Production'), 'acme-production');
    assert.equal(suggestWorkspaceId('  E2E -- demo!! '), 'e2e-demo');
    assert.equal(suggestWorkspaceId('Café Zürich'), 'cafe-zurich');
    assert.equal(suggestWorkspaceId('x'.repeat(80)).length, 64);
  });

  it('accepts what the portal accepts and says what is wrong otherwise', () => {
    assert.equal(workspaceIdProblem('acme-prod'), null);
    assert.match(workspaceIdProblem('')!, /id/);
    assert.match(workspaceIdProblem('Acme')!, /Lower-case/);
    assert.match(workspaceIdProblem('acme--prod')!, /single dashes/);
    assert.match(workspaceIdProblem('a'.repeat(65))!, /64/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';

describe('a method a path does not take', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it('is 405 PORTAL_METHOD_NOT_ALLOWED with the Allow header, before authentication', async () => {
    const answer = await h.inject({ method: 'TRACE', url: '/workspaces' });
    assert.equal(answer.statusCode, 405, answer.body);
    assert.equal(answer.headers.allow, 'GET, HEAD, POST');
    assert.equal(answer.json().code, 'PORTAL_METHOD_NOT_ALLOWED');
    assert.equal(answer.headers['x-content-type-options'], 'nosniff');
  });

  it('matches paths with parameters, and a QUERY without Content-Type is a 405 too (not a 400)', async () => {
    const answer = await h.inject({ method: 'QUERY', url: '/users/u-someone' });
    assert.equal(answer.statusCode, 405, answer.body);
    assert.equal(answer.headers.allow, 'DELETE, PATCH');
    const options = await h.inject({ method: 'OPTIONS', url: '/healthz' });
    assert.equal(options.statusCode, 405);
    assert.equal(options.headers.allow, 'GET, HEAD');
  });

  it('leaves unknown paths a 404 and the methods a path has alone', async () => {
    const unknown = await h.inject({ method: 'GET', url: '/no/such/path' });
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().code, 'PORTAL_NOT_FOUND');
    assert.equal((await h.inject({ method: 'HEAD', url: '/healthz' })).statusCode, 200);
  });
});

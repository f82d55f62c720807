import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';

describe('serving the web UI', () => {
  let h: Harness;
  let dir: string;

  before(async () => {
    // A built UI as Vite lays it out: index.html and fingerprinted assets.
    dir = mkdtempSync(join(tmpdir(), 'streamgate-ui-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>Streamgate</title><script type="module" src="/ui/assets/app-1a2b.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log("ui")');
    h = await startHarness({ uiDir: dir });
  });
  after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends / to /ui/', async () => {
    const response = await h.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/ui/');
  });

  it('serves index.html with a CSP that forbids inline scripts, never cached', async () => {
    const response = await h.inject({ method: 'GET', url: '/ui/' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<title>Streamgate/);
    const csp = String(response.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(response.headers['cache-control'], 'no-cache');
  });

  it('answers client-side routes with the app, and unknown files with 404', async () => {
    const route = await h.inject({ method: 'GET', url: '/ui/settings/tokens' });
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /<title>Streamgate/);
    assert.equal(route.headers['cache-control'], 'no-cache');
    const missing = await h.inject({ method: 'GET', url: '/ui/assets/missing-9z9z.js' });
    assert.equal(missing.statusCode, 404);
  });

  it('caches fingerprinted assets for good', async () => {
    const response = await h.inject({ method: 'GET', url: '/ui/assets/app-1a2b.js' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(response.headers['content-type']), /javascript/);
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureControlPlaneBinaries } from '../../../test-support/kubernetes/control-plane-build.ts';

/**
 * The Kubernetes tests need binaries built from the Go module proxy; when that build cannot
 * happen, they fail with the reason rather than skip. Here with a Go that cannot build, in an
 * empty cache directory (the real cache is left alone).
 */
describe('kubernetes test control plane: a build that cannot happen', () => {
  const cache = mkdtempSync(join(tmpdir(), 'streamgate-cache-'));
  const saved = { cache: process.env.STREAMGATE_CACHE_DIR, go: process.env.STREAMGATE_GO };
  after(() => {
    for (const [name, value] of [
      ['STREAMGATE_CACHE_DIR', saved.cache],
      ['STREAMGATE_GO', saved.go],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    rmSync(cache, { recursive: true, force: true });
  });

  it('fails loudly, naming the Go it tried, and leaves no lock behind', async () => {
    process.env.STREAMGATE_CACHE_DIR = cache;
    process.env.STREAMGATE_GO = '/nonexistent/go';
    await assert.rejects(
      ensureControlPlaneBinaries(),
      /Could not build the Kubernetes test control plane with \/nonexistent\/go/,
    );
    await assert.rejects(ensureControlPlaneBinaries(), /Could not build/, 'a second try fails the same way');
  });
});

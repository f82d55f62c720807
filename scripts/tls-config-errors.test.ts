// A wrong TLS setting stops the start with one line that names it, never a stack trace: through
// ./streamgate's entry (scripts/streamgate.ts) and through the portal's own (server.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-tls-config-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

function start(entry: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [join(root, entry), ...args, '--data-dir', dataDir], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dataDir, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('TLS settings that cannot work', () => {
  const missing = {
    STREAMGATE_TLS_CERT: join(dataDir, 'absent.pem'),
    STREAMGATE_TLS_KEY: join(dataDir, 'k.pem'),
  };

  for (const entry of ['scripts/streamgate.ts', 'packages/portal/src/server.ts']) {
    it(`${entry}: a missing certificate file is one line and exit 2`, () => {
      const { status, stderr } = start(entry, entry.startsWith('scripts') ? ['serve'] : [], missing);
      assert.equal(status, 2);
      assert.equal(stderr, `streamgate: STREAMGATE_TLS_CERT: ${missing.STREAMGATE_TLS_CERT} does not exist.`);
    });
  }

  it('--tls beside STREAMGATE_TLS_CERT is refused the same way', () => {
    const { status, stderr } = start('scripts/streamgate.ts', ['serve', '--tls'], missing);
    assert.equal(status, 2);
    assert.match(stderr, /^streamgate: --tls generates the certificate itself/);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});

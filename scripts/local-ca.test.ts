import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../packages/portal/src/config.ts';
import { ensureLocalTls, namesOf } from './local-ca.ts';

const day = 86_400_000;
const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-local-ca-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the local CA of --tls', () => {
  it('makes a CA and a server certificate for loopback names, keys readable by the owner alone', async () => {
    const dir = dataDir();
    const tls = await ensureLocalTls(dir);
    assert.deepEqual(tls.created, { ca: true, server: true });
    assert.equal(tls.caCertPath, join(dir, 'tls', 'ca.pem'));
    assert.equal(mode(join(dir, 'tls', 'ca-key.pem')), 0o600);
    assert.equal(mode(tls.keyPath), 0o600);
    assert.equal(mode(join(dir, 'tls')), 0o700);

    const ca = new X509Certificate(readFileSync(tls.caCertPath));
    const server = new X509Certificate(readFileSync(tls.certPath));
    assert.equal(ca.ca, true);
    assert.equal(server.ca, false);
    assert.ok(server.checkIssued(ca) && server.verify(ca.publicKey));
    assert.deepEqual(namesOf(server).sort(), ['127.0.0.1', '::1', 'localhost']);
    assert.ok(server.checkHost('localhost'));
    assert.ok(server.checkIP('127.0.0.1'));
    assert.deepEqual(server.keyUsage, ['1.3.6.1.5.5.7.3.1']);
    assert.equal(tls.caCertPem, readFileSync(tls.caCertPath, 'utf8'));
  });

  it('keeps everything across restarts of the same data dir', async () => {
    const dir = dataDir();
    const first = await ensureLocalTls(dir);
    const before = [first.caCertPath, first.certPath, first.keyPath].map((p) => readFileSync(p, 'utf8'));
    const second = await ensureLocalTls(dir);
    assert.deepEqual(second.created, { ca: false, server: false });
    const afterwards = [second.caCertPath, second.certPath, second.keyPath].map((p) =>
      readFileSync(p, 'utf8'),
    );
    assert.deepEqual(afterwards, before);
  });

  it('issues the server certificate again when the names change or it nears expiry, under the same CA', async () => {
    const dir = dataDir();
    const first = await ensureLocalTls(dir);
    const renamed = await ensureLocalTls(dir, { extraNames: ['portal.example.test', '0.0.0.0'] });
    assert.deepEqual(renamed.created, { ca: false, server: true });
    const server = new X509Certificate(readFileSync(renamed.certPath));
    assert.ok(server.checkHost('portal.example.test'));
    // A wildcard listening address is no name a client connects to.
    assert.ok(!namesOf(server).includes('0.0.0.0'));
    assert.equal(readFileSync(renamed.caCertPath, 'utf8'), first.caCertPem);

    const validTo = Date.parse(server.validTo);
    const late = await ensureLocalTls(dir, {
      extraNames: ['portal.example.test'],
      now: new Date(validTo - 10 * day),
    });
    assert.deepEqual(late.created, { ca: false, server: true });
    assert.ok(Date.parse(new X509Certificate(readFileSync(late.certPath)).validTo) > validTo);
  });

  it('replaces a server certificate that another CA issued, or whose key was lost', async () => {
    const dir = dataDir();
    const tls = await ensureLocalTls(dir);
    rmSync(join(dir, 'tls', 'ca.pem'));
    const again = await ensureLocalTls(dir);
    assert.deepEqual(again.created, { ca: true, server: true });
    writeFileSync(again.keyPath, 'not a key', { mode: 0o600 });
    assert.deepEqual((await ensureLocalTls(dir)).created, { ca: false, server: true });
    assert.notEqual(again.caCertPem, tls.caCertPem);
  });

  it('refuses a private key that other users can read, as it may have leaked', async () => {
    const dir = dataDir();
    const tls = await ensureLocalTls(dir);
    chmodSync(tls.keyPath, 0o644);
    await assert.rejects(ensureLocalTls(dir), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /readable by other users \(mode 0644\).*chmod 600/);
      return true;
    });
  });

  it('refuses a name that cannot be in a certificate', async () => {
    await assert.rejects(ensureLocalTls(dataDir(), { extraNames: ['bad name!'] }), ConfigError);
  });
});

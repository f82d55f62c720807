import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { localCertificates } from '../../test-support/stack-tls.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { loadTlsCertificate } from './tls-certificate.ts';

describe('the portal certificate (STREAMGATE_TLS_CERT / STREAMGATE_TLS_KEY)', () => {
  let dir: string;
  let files: { certPath: string; keyPath: string; caKeyPath: string; caCertPath: string };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'streamgate-tls-cert-'));
    const tls = await localCertificates(dir);
    files = {
      certPath: tls.certPath,
      keyPath: tls.keyPath,
      caKeyPath: join(tls.dir, 'ca-key.pem'),
      caCertPath: tls.caCertPath,
    };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const refusal = (pattern: RegExp) => (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };

  it('loads a certificate and its key', () => {
    const loaded = loadTlsCertificate({ certPath: files.certPath, keyPath: files.keyPath });
    assert.match(loaded.cert, /BEGIN CERTIFICATE/);
    assert.match(loaded.key, /BEGIN PRIVATE KEY/);
    assert.match(loaded.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
  });

  it('names the file that is missing or unreadable', () => {
    assert.throws(
      () => loadTlsCertificate({ certPath: join(dir, 'nope.pem'), keyPath: files.keyPath }),
      refusal(/^STREAMGATE_TLS_CERT: .*nope\.pem does not exist\.$/),
    );
    assert.throws(
      () => loadTlsCertificate({ certPath: files.certPath, keyPath: dir }),
      refusal(/^STREAMGATE_TLS_KEY: .* is a directory\.$/),
    );
  });

  it('refuses a file that holds no certificate, or no key', () => {
    assert.throws(
      () => loadTlsCertificate({ certPath: files.keyPath, keyPath: files.keyPath }),
      refusal(/holds no PEM certificate/),
    );
    const garbage = join(dir, 'garbage.pem');
    writeFileSync(garbage, 'hello');
    assert.throws(
      () => loadTlsCertificate({ certPath: files.certPath, keyPath: garbage }),
      refusal(/holds no PEM private key/),
    );
  });

  it('refuses a key that is not the certificate’s', () => {
    assert.throws(
      () => loadTlsCertificate({ certPath: files.certPath, keyPath: files.caKeyPath }),
      refusal(/is not the key of the certificate/),
    );
  });

  it('refuses an expired certificate, and one not valid yet', () => {
    const pair = { certPath: files.certPath, keyPath: files.keyPath };
    assert.throws(
      () => loadTlsCertificate(pair, new Date(Date.now() + 5 * 365 * 86_400_000)),
      refusal(/expired on/),
    );
    assert.throws(
      () => loadTlsCertificate(pair, new Date(Date.now() - 86_400_000)),
      refusal(/valid only from/),
    );
  });

  it('refuses an encrypted key with what to do', () => {
    const encrypted = join(dir, 'encrypted.pem');
    writeFileSync(
      encrypted,
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----\n',
    );
    chmodSync(encrypted, 0o600);
    assert.throws(
      () => loadTlsCertificate({ certPath: files.certPath, keyPath: encrypted }),
      refusal(/is encrypted: give the portal an unencrypted key/),
    );
  });

  it('takes both settings or neither, and then defaults the public URL to https', () => {
    assert.throws(() => loadConfig({ STREAMGATE_TLS_CERT: files.certPath }), refusal(/go together/));
    assert.throws(() => loadConfig({ STREAMGATE_TLS_KEY: files.keyPath }), refusal(/go together/));
    const config = loadConfig({ STREAMGATE_TLS_CERT: files.certPath, STREAMGATE_TLS_KEY: files.keyPath });
    assert.equal(config.publicUrl, 'https://127.0.0.1:8700');
    assert.deepEqual(config.tls, { certPath: files.certPath, keyPath: files.keyPath });
    // Behind a TLS-terminating proxy: plain HTTP here, https where clients connect.
    const proxied = loadConfig({ STREAMGATE_PUBLIC_URL: 'https://portal.example.test/' });
    assert.equal(proxied.tls, null);
    assert.equal(proxied.publicUrl, 'https://portal.example.test');
    assert.equal(loadConfig({}).publicUrl, 'http://127.0.0.1:8700');
  });
});

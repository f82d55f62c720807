import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { localCertificates } from '../packages/portal/test-support/stack-tls.ts';
import { renderServerProperties } from './broker-properties.ts';
import { clientListenerTlsEntries, jvmTrustArguments, prepareBrokerTls } from './tls-listener.ts';

const settings = {
  host: '127.0.0.1',
  advertisedHost: '127.0.0.1',
  clientPort: 9092,
  controllerPort: 9093,
  internalPort: 9094,
  logDir: '/tmp/kafka-data',
  jwksUrl: 'https://127.0.0.1:8700/.well-known/jwks.json',
  issuer: 'https://127.0.0.1:8700',
  audience: 'kafka',
  adminUser: 'streamgate-admin',
  internalUser: 'streamgate-broker',
  internalPassword: 'secret-1',
  reauthMs: 60_000,
};

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the broker client listener on SASL_SSL', () => {
  it('puts TLS on the client listener alone, with a PEM keystore', () => {
    const properties = renderServerProperties({ ...settings, clientTls: { keystorePath: '/d/tls/k.pem' } });
    assert.match(
      properties,
      /^listener\.security\.protocol\.map=CLIENT:SASL_SSL,CONTROLLER:SASL_PLAINTEXT,INTERNAL:SASL_PLAINTEXT$/m,
    );
    assert.match(properties, /^listener\.name\.client\.ssl\.keystore\.type=PEM$/m);
    assert.match(properties, /^listener\.name\.client\.ssl\.keystore\.location=\/d\/tls\/k\.pem$/m);
    assert.match(properties, /^listener\.name\.client\.ssl\.client\.auth=none$/m);
    // Nothing on the server-side OAUTHBEARER JAAS line: options there stop the broker (KAFKA-21143).
    assert.match(
      properties,
      /^listener\.name\.client\.oauthbearer\.sasl\.jaas\.config=org\.apache\.kafka\.common\.security\.oauthbearer\.OAuthBearerLoginModule required ;$/m,
    );
    assert.doesNotMatch(renderServerProperties(settings), /SASL_SSL|ssl\./);
    assert.deepEqual(clientListenerTlsEntries('CLIENT', '/k.pem')[0], [
      'listener.name.client.ssl.keystore.type',
      'PEM',
    ]);
  });

  it('writes the keystore 0600 and a PKCS12 truststore holding the CA, reused for the same CA', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamgate-broker-tls-'));
    dirs.push(dir);
    const tls = await localCertificates(join(dir, 'stack'));
    const files = { certPath: tls.certPath, keyPath: tls.keyPath, caCertPath: tls.caCertPath };
    const broker = await prepareBrokerTls(join(dir, 'kafka'), files);
    assert.equal(statSync(broker.keystorePath).mode & 0o777, 0o600);
    const keystore = readFileSync(broker.keystorePath, 'utf8');
    assert.match(keystore, /^-----BEGIN PRIVATE KEY-----[\s\S]*-----BEGIN CERTIFICATE-----/);
    assert.equal(broker.caCertPem, tls.caCertPem);
    assert.deepEqual(broker.clientTls, { ca: tls.caCertPem, rejectUnauthorized: true });

    const listing = execFileSync('keytool', [
      '-list',
      '-keystore',
      broker.truststorePath,
      '-storetype',
      'PKCS12',
      '-storepass',
      broker.truststorePassword,
    ]).toString();
    assert.match(listing, /streamgate-ca, .*trustedCertEntry/);
    const made = statSync(broker.truststorePath).mtimeMs;
    const again = await prepareBrokerTls(join(dir, 'kafka'), files);
    assert.equal(again.truststorePath, broker.truststorePath);
    assert.equal(statSync(again.truststorePath).mtimeMs, made);
    assert.ok(jvmTrustArguments(broker).includes(`-Djavax.net.ssl.trustStore=${broker.truststorePath}`));
  });

  it('refuses a key that is not the certificate’s', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'streamgate-broker-tls-'));
    dirs.push(dir);
    const tls = await localCertificates(dir);
    await assert.rejects(
      prepareBrokerTls(join(dir, 'kafka'), {
        certPath: tls.certPath,
        keyPath: join(tls.dir, 'ca-key.pem'),
        caCertPath: tls.caCertPath,
      }),
      /is not the key of/,
    );
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, startHarness } from '../../test-support/portal-harness.ts';

const documentedKeys = [
  'bootstrap.servers',
  'sasl.mechanism',
  'sasl.oauthbearer.client.id',
  'sasl.oauthbearer.client.secret',
  'sasl.oauthbearer.method',
  'sasl.oauthbearer.token.endpoint.url',
  'security.protocol',
];

// A syntactically plausible PEM; the portal passes it through and never parses it.
const caPem = `-----BEGIN CERTIFICATE-----
MIIBszCCAVmgAwIBAgIUYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowCgYIKoZI
zj0EAwIwFTETMBEGA1UEAwwKc3RyZWFtZ2F0ZTAeFw0yNTAxMDEwMDAwMDBaFw0z
-----END CERTIFICATE-----
`;

/** Reads one entry of a zip with the system's unzip, not with the library that wrote it. */
function unzipEntry(zip: Buffer, entry: string): { names: string[]; content: string } {
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-zip-'));
  try {
    const file = join(dir, 'certificates.zip');
    writeFileSync(file, zip);
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' });
    return {
      names: listing.split('\n').filter(Boolean),
      content: execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8' }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('librdkafka config and certificates, plaintext broker without a CA', () => {
  let h: Harness;
  let pair: { token1: string; token2: string };

  before(async () => {
    h = await startHarness({ env: { STREAMGATE_KAFKA_BOOTSTRAP: 'kafka-1.test:9092,kafka-2.test:9092' } });
    await h.createWorkspace('acme');
    await h.createWorkspace('globex');
    pair = await h.streamingTokens('acme');
  });
  after(async () => {
    await h.close();
  });

  it('answers exactly the documented keys, with the presented token as client secret', async () => {
    for (const presented of [pair.token1, pair.token2]) {
      const response = await h.inject({
        method: 'GET',
        url: '/workspaces/acme/broker/librdkafka',
        headers: { ...bearer(presented), 'x-version': '2.0' },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.headers['cache-control'], 'no-store');
      const config = response.json();
      assert.deepEqual(Object.keys(config).sort(), documentedKeys);
      assert.deepEqual(config, {
        'bootstrap.servers': 'kafka-1.test:9092,kafka-2.test:9092',
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'OAUTHBEARER',
        'sasl.oauthbearer.method': 'oidc',
        'sasl.oauthbearer.client.id': 'acme',
        'sasl.oauthbearer.client.secret': presented,
        'sasl.oauthbearer.token.endpoint.url': 'http://portal.test/oauth/token',
      });
    }
  });

  it('gives a config the token endpoint accepts as it is', async () => {
    const config = (
      await h.inject({
        method: 'GET',
        url: '/workspaces/acme/broker/librdkafka',
        headers: bearer(pair.token2),
      })
    ).json();
    const endpoint = new URL(config['sasl.oauthbearer.token.endpoint.url']);
    const id = config['sasl.oauthbearer.client.id'];
    const secret = config['sasl.oauthbearer.client.secret'];
    const minted = await h.inject({
      method: 'POST',
      url: endpoint.pathname,
      headers: {
        authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(minted.statusCode, 200, minted.body);
  });

  it("refuses another workspace's token with 404", async () => {
    const foreign = await h.streamingTokens('globex');
    for (const url of ['/workspaces/acme/broker/librdkafka', '/workspaces/acme/certificates']) {
      const response = await h.inject({ method: 'GET', url, headers: bearer(foreign.token1) });
      assert.equal(response.statusCode, 404, url);
      assert.ok(!response.body.includes(foreign.token1));
    }
  });

  it('answers 204 for certificates when the broker needs no CA', async () => {
    const response = await h.inject({
      method: 'GET',
      url: '/workspaces/acme/certificates',
      headers: bearer(pair.token1),
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
  });

  it("describes the broker in the workspace (with the caller's own PLAIN login, for legacy clients)", async () => {
    const workspace = (
      await h.inject({ method: 'GET', url: '/workspaces/acme', headers: bearer(pair.token1) })
    ).json();
    const { username, ...broker } = workspace.broker;
    assert.match(username, /^sgt-st-/);
    assert.deepEqual(broker, {
      address: 'kafka-1.test:9092,kafka-2.test:9092',
      securityMode: 'Sasl',
      saslMechanism: 'Plain',
      password: pair.token1,
      hasCertificate: false,
    });
  });
});

describe('librdkafka config and certificates, TLS broker with a CA', () => {
  let h: Harness;
  let pair: { token1: string; token2: string };

  before(async () => {
    h = await startHarness({
      env: {
        STREAMGATE_KAFKA_BOOTSTRAP: 'kafka.test:9093',
        STREAMGATE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        STREAMGATE_KAFKA_CA_PEM: caPem,
        STREAMGATE_PUBLIC_URL: 'https://portal.example.test/',
      },
    });
    await h.createWorkspace('acme');
    pair = await h.streamingTokens('acme');
  });
  after(async () => {
    await h.close();
  });

  it("over TLS: a PLAIN login as the token's own principal, and ssl.ca.cert, the base64 of the PEM", async () => {
    const response = await h.inject({
      method: 'GET',
      url: '/workspaces/acme/broker/librdkafka',
      headers: bearer(pair.token1),
    });
    assert.equal(response.statusCode, 200);
    const config = response.json();
    // No token endpoint: librdkafka would fetch it over HTTPS with a CA no Quix setting can name.
    assert.deepEqual(Object.keys(config).sort(), [
      'bootstrap.servers',
      'sasl.mechanism',
      'sasl.password',
      'sasl.username',
      'security.protocol',
      'ssl.ca.cert',
    ]);
    assert.equal(Buffer.from(config['ssl.ca.cert'], 'base64').toString('utf8'), caPem);
    assert.equal(config['security.protocol'], 'SASL_SSL');
    assert.equal(config['sasl.mechanism'], 'PLAIN');
    const principal = (
      await h.inject({ method: 'GET', url: '/auth/token/details', headers: bearer(pair.token1) })
    ).json();
    assert.equal(config['sasl.username'], `sgt-${principal.tokenId}`);
    assert.equal(config['sasl.password'], pair.token1);
  });

  it('over TLS with STREAMGATE_KAFKA_PLAIN=off: OAUTHBEARER through the https token endpoint', async () => {
    const plainOff = await startHarness({
      env: {
        STREAMGATE_KAFKA_BOOTSTRAP: 'kafka.test:9093',
        STREAMGATE_KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
        STREAMGATE_KAFKA_CA_PEM: caPem,
        STREAMGATE_KAFKA_PLAIN: 'off',
        STREAMGATE_PUBLIC_URL: 'https://portal.example.test/',
      },
    });
    try {
      await plainOff.createWorkspace('acme');
      const tokens = await plainOff.streamingTokens('acme');
      const response = await plainOff.inject({
        method: 'GET',
        url: '/workspaces/acme/broker/librdkafka',
        headers: bearer(tokens.token1),
      });
      assert.equal(response.statusCode, 200);
      const config = response.json();
      assert.deepEqual(Object.keys(config).sort(), [...documentedKeys, 'ssl.ca.cert'].sort());
      assert.equal(config['sasl.oauthbearer.token.endpoint.url'], 'https://portal.example.test/oauth/token');
      assert.equal(config['sasl.oauthbearer.client.secret'], tokens.token1);
    } finally {
      await plainOff.close();
    }
  });

  it('serves the CA as a zip holding ca.cert', async () => {
    const response = await h.inject({
      method: 'GET',
      url: '/workspaces/acme/certificates',
      headers: bearer(pair.token2),
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/zip');
    assert.match(
      String(response.headers['content-disposition']),
      /^attachment; filename="acme-certificates\.zip"$/,
    );
    const zip = response.rawPayload;
    assert.equal(zip.subarray(0, 4).toString('hex'), '504b0304', 'a zip local file header');
    const { names, content } = unzipEntry(zip, 'ca.cert');
    assert.deepEqual(names, ['ca.cert']);
    assert.equal(content, caPem);
  });

  it('says the workspace has a certificate', async () => {
    const workspace = (
      await h.inject({ method: 'GET', url: '/workspaces/acme', headers: bearer(pair.token1) })
    ).json();
    assert.equal(workspace.broker.hasCertificate, true);
    assert.equal(workspace.broker.securityMode, 'SaslSsl');
  });
});

describe('librdkafka config without a broker', () => {
  it('answers 404 with a message naming the missing setting', async () => {
    const h = await startHarness();
    try {
      await h.createWorkspace('acme');
      const { token1 } = await h.streamingTokens('acme');
      const response = await h.inject({
        method: 'GET',
        url: '/workspaces/acme/broker/librdkafka',
        headers: bearer(token1),
      });
      assert.equal(response.statusCode, 404);
      assert.match(response.json().message, /STREAMGATE_KAFKA_BOOTSTRAP/);
    } finally {
      await h.close();
    }
  });
});

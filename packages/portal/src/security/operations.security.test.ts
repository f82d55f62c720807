// Issue 10, operations: each test is named after the attack it stops.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bearer, type Harness, inDays, startHarness } from '../../test-support/portal-harness.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createPortal } from '../portal.ts';

describe('operations attacks', () => {
  let h: Harness;
  const secretDetail = 'password authentication failed for user "streamgate" at db.internal:5432';
  before(async () => {
    h = await startHarness();
    h.portal.readinessChecks.push({
      name: 'probe',
      critical: false,
      check: async () => {
        throw new Error(secretDetail);
      },
    });
  });
  after(async () => {
    await h.close();
  });

  it('an anonymous caller learns no internals (hosts, users, errors) from /readyz', async () => {
    const anonymous = await h.inject({ method: 'GET', url: '/readyz' });
    assert.equal(anonymous.statusCode, 200);
    assert.ok(!anonymous.body.includes('db.internal'), anonymous.body);
    assert.ok(!anonymous.body.includes('detail'), anonymous.body);
    assert.deepEqual(anonymous.json().checks.probe, { ok: false });
    const viewer = await h.userWithRole('Viewer');
    const forged = await h.inject({ method: 'GET', url: '/readyz', headers: bearer('sgp_forged') });
    for (const answer of [
      await h.inject({ method: 'GET', url: '/readyz', headers: viewer.headers }),
      forged,
    ]) {
      assert.equal(answer.statusCode, 200);
      assert.ok(!answer.body.includes('db.internal'));
    }
    // An organisation Admin (session or PAT) gets the details.
    const admin = await h.admin();
    const pat = await h.createPat(admin, { name: 'ops', expiresAt: inDays(1), readOnly: true });
    for (const headers of [admin.headers, bearer(pat)]) {
      const answer = await h.inject({ method: 'GET', url: '/readyz', headers });
      assert.equal(answer.json().checks.probe.detail, secretDetail);
    }
  });

  it('a logout leaves a trace in the audit log (who ended which session, from where)', async () => {
    const user = await h.userWithRole('Viewer');
    const out = await h.inject({ method: 'POST', url: '/auth/logout', headers: user.headers });
    assert.equal(out.statusCode, 204);
    const audit = await h.inject({
      method: 'GET',
      url: `/audit?action=auth.logout&actor=${encodeURIComponent(user.email)}`,
      headers: (await h.admin()).headers,
    });
    assert.equal(audit.statusCode, 200);
    assert.equal(audit.json().entries.length, 1, audit.body);
    assert.equal(audit.json().entries[0].address, '127.0.0.1');
    assert.equal((await h.inject({ method: 'GET', url: '/auth/me', headers: user.headers })).statusCode, 401);
  });
});

describe('secret files in the data dir', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'streamgate-modes-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const config = (dataDir: string) =>
    loadConfig({ STREAMGATE_DATA_DIR: dataDir, STREAMGATE_PUBLIC_URL: 'http://portal.test' });
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  it('another local user cannot read the database or the generated secret key (both created 0600)', async () => {
    const dataDir = join(dir, 'fresh');
    const portal = await createPortal(config(dataDir));
    await portal.bootstrap();
    await portal.stop();
    assert.equal(modeOf(join(dataDir, 'portal.db')), 0o600);
    assert.equal(modeOf(join(dataDir, 'secret.key')), 0o600);
  });

  it('a portal does not start on a secret key or Kafka admin password that others can read', async () => {
    for (const name of ['secret.key', join('kafka', 'kafka-admin.json')]) {
      const dataDir = join(dir, `exposed-${name.replace(/\W/g, '')}`);
      const first = await createPortal(config(dataDir));
      await first.stop();
      const path = join(dataDir, name);
      if (name !== 'secret.key') {
        mkdirSync(join(dataDir, 'kafka'), { recursive: true });
        writeFileSync(path, '{"user":"streamgate-admin","password":"x"}\n', { mode: 0o600 });
      }
      chmodSync(path, 0o644);
      await assert.rejects(createPortal(config(dataDir)), (error: unknown) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, /chmod 600/);
        return true;
      });
    }
  });

  it('a database left readable by others is made 0600 at start, with a loud warning', async () => {
    const dataDir = join(dir, 'old-db');
    const first = await createPortal(config(dataDir));
    await first.stop();
    chmodSync(join(dataDir, 'portal.db'), 0o644);
    const warnings: string[] = [];
    const logger = {
      info() {},
      error() {},
      warn: (_details: object, message: string) => warnings.push(message),
    };
    const second = await createPortal(config(dataDir), { logger });
    await second.stop();
    assert.equal(modeOf(join(dataDir, 'portal.db')), 0o600);
    assert.ok(
      warnings.some((message) => /SECURITY: .*portal\.db/.test(message)),
      warnings.join('\n'),
    );
  });
});

describe('readiness', () => {
  it('a client started with the stack is not told "ready" before the broker answered and the ACLs were applied', async () => {
    // A broker that does not answer (nothing listens on port 9): /readyz must not say ready,
    // else a service started alongside gets refused on its first topic.
    const h = await startHarness({
      env: {
        STREAMGATE_KAFKA_BOOTSTRAP: '127.0.0.1:9',
        STREAMGATE_KAFKA_ADMIN_USER: 'streamgate-admin',
        STREAMGATE_KAFKA_ADMIN_PASSWORD: 'admin-secret-for-tests',
      },
    });
    try {
      const anonymous = await h.inject({ method: 'GET', url: '/readyz' });
      assert.equal(anonymous.statusCode, 503);
      assert.deepEqual(anonymous.json(), {
        status: 'not ready',
        checks: { database: { ok: true }, 'kafka-acls': { ok: false } },
      });
      const admin = await h.inject({ method: 'GET', url: '/readyz', headers: (await h.admin()).headers });
      assert.equal(admin.statusCode, 503);
      assert.match(admin.json().checks['kafka-acls'].detail, /not reconciled yet/);
    } finally {
      await h.close();
    }
  });
});

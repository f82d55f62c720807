import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { bearer, type Caller, type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';
import { createJwtIssuer } from '../crypto/jwt.ts';
import { patAudience, patIssuer } from '../portal.ts';

const day = 86_400_000;
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(pat: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [header, payload] = pat.slice('sgp_'.length).split('.');
  return {
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString()),
  };
}

/** An ES256 JWT signed by the given key, as a PAT. */
function es256(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  key: KeyObject | string,
): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `sgp_${input}.${signature.toString('base64url')}`;
}

describe('personal access tokens over HTTP', () => {
  const clock = fixedClock(new Date());
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();
  let h: Harness;
  let admin: Caller;

  before(async () => {
    h = await startHarness({ clock });
    await h.createWorkspace('acme');
    await h.createWorkspace('globex');
    admin = await h.admin();
  });
  after(async () => {
    await h.close();
  });

  const create = (caller: Caller, payload: Record<string, unknown>) =>
    h.inject({ method: 'POST', url: '/profile/tokens', headers: caller.headers, payload });
  const list = (caller: Caller) =>
    h.inject({ method: 'GET', url: '/profile/tokens', headers: caller.headers });

  it('shows the token once, at creation, and never in the list', async () => {
    const expiresAt = at(30 * day);
    const response = await create(admin, {
      name: '  ci  ',
      expiresAt,
      workspaces: ['globex', 'acme', 'acme'],
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = response.json();
    assert.match(body.token, /^sgp_[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(body.name, 'ci');
    assert.equal(body.expiresAt, expiresAt);
    assert.deepEqual(body.workspaces, ['acme', 'globex']);
    assert.equal(body.readOnly, false);
    assert.equal(body.lastUsedAt, null);
    const { header, payload } = decode(body.token);
    assert.equal(header.alg, 'ES256');
    assert.equal(typeof header.kid, 'string');
    assert.equal(payload.jti, body.id);
    assert.equal(payload.aud, 'streamgate-portal');

    const listed = await list(admin);
    assert.equal(listed.statusCode, 200);
    const mine = listed.json().find((pat: { id: string }) => pat.id === body.id);
    assert.ok(mine);
    assert.equal('token' in mine, false);
    const signature = body.token.split('.')[2];
    assert.ok(!listed.body.includes(body.token));
    assert.ok(!listed.body.includes(signature));
  });

  it('records when a PAT was last used', async () => {
    const token = await h.createPat(admin, { name: 'used', expiresAt: at(day) });
    const { tokenId } = (
      await h.inject({ method: 'GET', url: '/auth/token/details', headers: bearer(token) })
    ).json();
    const listed = (await list(admin)).json().find((pat: { id: string }) => pat.id === tokenId);
    assert.equal(listed.lastUsedAt, clock.now().toISOString());
  });

  it('validates the expiry: in the future, at most one year ahead', async () => {
    const cases: [string, number][] = [
      [at(-1000), 400],
      [at(0), 400],
      [at(367 * day), 400],
      [at(10 * 365 * day), 400],
      ['tomorrow', 400],
      ['2030-13-01T00:00:00Z', 400],
      [at(365 * day), 201],
      [at(60_000), 201],
    ];
    for (const [expiresAt, status] of cases) {
      const response = await create(admin, { name: 'expiry', expiresAt });
      assert.equal(response.statusCode, status, `${expiresAt}: ${response.body}`);
      if (status === 400) {
        assert.equal(response.json().code, 'PORTAL_BAD_REQUEST');
        assert.match(response.json().message, /expiresAt|one year/);
      }
    }
  });

  it('refuses narrowing to a workspace that does not exist or that the user cannot see', async () => {
    const user = await h.userWithRole('Editor', { globex: 'None' });
    const before = (await list(user)).json().length;
    for (const workspaces of [['nope'], ['acme', 'nope'], ['globex'], []]) {
      const response = await create(user, { name: 'narrow', expiresAt: at(day), workspaces });
      assert.equal(response.statusCode, 400, JSON.stringify(workspaces));
      assert.equal(response.json().code, 'PORTAL_BAD_REQUEST');
    }
    assert.equal((await list(user)).json().length, before, 'nothing was created');
    // Same message for "missing" and "hidden", so ids do not leak.
    const missing = (await create(user, { name: 'n', expiresAt: at(day), workspaces: ['nope'] })).json()
      .message;
    const hidden = (await create(user, { name: 'n', expiresAt: at(day), workspaces: ['globex'] })).json()
      .message;
    assert.equal(missing.replace('nope', 'X'), hidden.replace('globex', 'X'));
  });

  it('revokes at once: the next request is 401, and only the owner can revoke', async () => {
    const token = await h.createPat(admin, { name: 'to revoke', expiresAt: at(day) });
    const { tokenId } = (
      await h.inject({ method: 'GET', url: '/auth/token/details', headers: bearer(token) })
    ).json();
    const stranger = await h.userWithRole('Viewer');
    const foreign = await h.inject({
      method: 'DELETE',
      url: `/profile/tokens/${tokenId}`,
      headers: stranger.headers,
    });
    assert.equal(foreign.statusCode, 404);
    assert.equal(
      (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(token) })).statusCode,
      200,
    );

    const revoked = await h.inject({
      method: 'DELETE',
      url: `/profile/tokens/${tokenId}`,
      headers: admin.headers,
    });
    assert.equal(revoked.statusCode, 204);
    const next = await h.inject({
      method: 'POST',
      url: '/workspaces',
      headers: bearer(token),
      payload: { workspaceId: 'after-revoke', name: 'x' },
    });
    assert.equal(next.statusCode, 401);
    assert.equal(next.json().code, 'PORTAL_TOKEN_REVOKED');
    assert.equal(await h.portal.store.findWorkspace('after-revoke'), null);
    const again = await h.inject({
      method: 'DELETE',
      url: `/profile/tokens/${tokenId}`,
      headers: admin.headers,
    });
    assert.equal(again.statusCode, 404);
    const listed = (await list(admin)).json().find((pat: { id: string }) => pat.id === tokenId);
    assert.equal(listed.revokedAt, clock.now().toISOString());
  });

  it('refuses an expired PAT', async () => {
    const token = await h.createPat(admin, { name: 'short', expiresAt: at(60_000) });
    assert.equal(
      (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(token) })).statusCode,
      200,
    );
    clock.advance(60_000);
    const response = await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(token) });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().code, 'PORTAL_INVALID_TOKEN');
    assert.match(response.json().message, /expired/);
  });

  it('takes power from the PAT of a demoted user at once', async () => {
    const user = await h.userWithRole('Admin');
    const token = await h.createPat(user, { name: 'admin script', expiresAt: at(day) });
    const makeWorkspace = (workspaceId: string) =>
      h.inject({
        method: 'POST',
        url: '/workspaces',
        headers: bearer(token),
        payload: { workspaceId, name: 'x' },
      });
    assert.equal((await makeWorkspace('by-admin-pat')).statusCode, 201);
    const demote = await h.inject({
      method: 'PATCH',
      url: `/users/${user.userId}`,
      headers: admin.headers,
      payload: { role: 'None' },
    });
    assert.equal(demote.statusCode, 200);
    assert.equal((await makeWorkspace('after-demotion')).statusCode, 403);
    assert.equal(await h.portal.store.findWorkspace('after-demotion'), null);
    const visible = await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(token) });
    assert.deepEqual(visible.json(), [], 'a None user sees no workspace');
    const tokens = await h.inject({
      method: 'GET',
      url: '/workspaces/acme/streaming-tokens',
      headers: bearer(token),
    });
    assert.equal(tokens.statusCode, 404);
    assert.ok(!tokens.body.includes('sgs_'));
  });

  describe('forged and damaged tokens', () => {
    let victimPat: string;
    let victim: Caller & { userId: string };
    let otherAdminId: string;

    before(async () => {
      victim = await h.userWithRole('Viewer');
      victimPat = await h.createPat(victim, { name: 'victim', expiresAt: at(30 * day) });
      otherAdminId = (await h.userWithRole('Admin')).userId;
    });

    const forgeries = async (): Promise<[string, string][]> => {
      const { header, payload } = decode(victimPat);
      const [encodedHeader, encodedPayload, signature] = victimPat.slice(4).split('.') as [
        string,
        string,
        string,
      ];
      const realKey = await h.portal.patKeys.current();
      const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      // A JWT the portal signed for the broker: genuine, but for another audience and key ring.
      const { jwt: brokerJwt } = await createJwtIssuer({
        ring: h.portal.brokerKeys,
        clock,
        issuer: patIssuer,
        audience: patAudience,
      }).sign({ sub: victim.userId, jti: String(payload.jti) }, 600);
      const asAdmin = { ...payload, sub: otherAdminId };
      const hsInput = `${b64url({ ...header, alg: 'HS256' })}.${encodedPayload}`;
      const hs256 = createHmac('sha256', realKey.publicKeyPem).update(hsInput).digest('base64url');
      return [
        ['alg none', `sgp_${b64url({ alg: 'none', typ: 'JWT', kid: header.kid })}.${encodedPayload}.`],
        [
          'alg none without a signature part',
          `sgp_${b64url({ alg: 'none', kid: header.kid })}.${encodedPayload}`,
        ],
        ['HS256 keyed with the public key', `sgp_${hsInput}.${hs256}`],
        ['another ES256 key with the same kid', es256(header, payload, stranger)],
        [
          'another ES256 key with an unknown kid',
          es256({ ...header, kid: 'pat-unknown' }, payload, stranger),
        ],
        [
          'payload swapped to an Admin, old signature',
          `sgp_${encodedHeader}.${b64url(asAdmin)}.${signature}`,
        ],
        ['real key, sub of an Admin, jti of the victim', es256(header, asAdmin, realKey.privateKeyPem)],
        ['real key, wrong audience', es256(header, { ...payload, aud: 'kafka' }, realKey.privateKeyPem)],
        ['real key, wrong issuer', es256(header, { ...payload, iss: 'evil' }, realKey.privateKeyPem)],
        ['real key, unknown jti', es256(header, { ...payload, jti: 'pat-forged' }, realKey.privateKeyPem)],
        ['real key, no exp', es256(header, { ...payload, exp: undefined }, realKey.privateKeyPem)],
        ['a JWT from the broker key ring, PAT claims', `sgp_${brokerJwt}`],
        ['truncated signature', victimPat.slice(0, -10)],
        ['truncated to two parts', `sgp_${encodedHeader}.${encodedPayload}`],
        [
          'one changed signature character',
          `${victimPat.slice(0, -2)}${victimPat.at(-2) === 'A' ? 'B' : 'A'}${victimPat.at(-1)}`,
        ],
        ['extra part', `${victimPat}.AAAA`],
        ['garbage', 'sgp_garbage'],
        ['empty', 'sgp_'],
        ['dots only', 'sgp_..'],
        ['non-JSON parts', 'sgp_aGVsbG8.d29ybGQ.c2ln'],
      ];
    };

    it('refuses every forgery with 401 and changes nothing', async () => {
      let n = 0;
      for (const [name, token] of await forgeries()) {
        const workspaceId = `forged${++n}`;
        const response = await h.inject({
          method: 'POST',
          url: '/workspaces',
          headers: bearer(token),
          payload: { workspaceId, name },
        });
        assert.equal(response.statusCode, 401, `${name}: ${response.body}`);
        assert.equal(response.json().code, 'PORTAL_INVALID_TOKEN', name);
        assert.equal(typeof response.json().correlationId, 'string');
        assert.equal(await h.portal.store.findWorkspace(workspaceId), null, name);
        const users = await h.inject({ method: 'GET', url: '/users', headers: bearer(token) });
        assert.equal(users.statusCode, 401, `${name}: GET /users`);
      }
    });

    it("still accepts the genuine token, with its owner's (Viewer) power only", async () => {
      assert.equal(
        (await h.inject({ method: 'GET', url: '/workspaces', headers: bearer(victimPat) })).statusCode,
        200,
      );
      assert.equal(
        (await h.inject({ method: 'GET', url: '/users', headers: bearer(victimPat) })).statusCode,
        403,
      );
    });
  });
});

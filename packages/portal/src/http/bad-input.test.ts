import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { bearer, type Harness, inDays, startHarness } from '../../test-support/portal-harness.ts';
import { generateStreamingToken } from '../tokens/streaming-token-format.ts';

/**
 * Bad input, everywhere: every row must answer the expected 4xx with the portal's error body
 * `{message, correlationId, code}`, no stack trace or file path, and leave the state as it was.
 */
interface Row {
  name: string;
  request: (ctx: Ctx) => InjectOptions;
  status: number;
  code: string;
  message?: RegExp;
}

interface Ctx {
  admin: Record<string, string>;
  token1: string;
  viewerId: string;
  etag: string;
}

const json = (ctx: Ctx, method: InjectOptions['method'], url: string, payload: string): InjectOptions => ({
  method,
  url,
  headers: { ...ctx.admin, 'content-type': 'application/json' },
  payload,
});
const withBody = (
  ctx: Ctx,
  method: InjectOptions['method'],
  url: string,
  payload: unknown,
): InjectOptions => ({
  method,
  url,
  headers: ctx.admin,
  payload: payload as InjectOptions['payload'],
});
const authz = (value: string): InjectOptions => ({
  method: 'GET',
  url: '/workspaces',
  headers: { authorization: value },
});
const changeOne = (token: string, position: number) =>
  token.slice(0, position) + (token[position] === 'a' ? 'b' : 'a') + token.slice(position + 1);
const big = 'x'.repeat(70 * 1024);

const rows: Row[] = [
  // Malformed JSON
  {
    name: 'truncated JSON',
    request: (c) => json(c, 'POST', '/workspaces', '{"workspaceId":'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /not valid JSON/,
  },
  {
    name: 'JSON with a trailing comma',
    request: (c) => json(c, 'POST', '/workspaces', '{"workspaceId":"x","name":"y",}'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'single-quoted JSON',
    request: (c) => json(c, 'POST', '/profile/tokens', "{'name':'x'}"),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'empty JSON body',
    request: (c) => json(c, 'POST', '/workspaces', ''),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'JSON null body',
    request: (c) => json(c, 'POST', '/workspaces', 'null'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'JSON array body',
    request: (c) => json(c, 'POST', '/workspaces', '[]'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'JSON string body',
    request: (c) => json(c, 'POST', '/auth/login', '"admin"'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: '__proto__ in the body',
    request: (c) =>
      json(c, 'POST', '/workspaces', '{"workspaceId":"proto","name":"p","__proto__":{"role":"Admin"}}'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'constructor.prototype in the body',
    request: (c) =>
      json(c, 'PATCH', `/users/${c.viewerId}`, '{"name":"n","constructor":{"prototype":{"role":"Admin"}}}'),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'plain text body',
    request: (c) => ({
      method: 'POST',
      url: '/workspaces',
      headers: { ...c.admin, 'content-type': 'text/plain' },
      payload: 'workspaceId=x',
    }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /body must be object/,
  },
  {
    name: 'unsupported media type',
    request: (c) => ({
      method: 'POST',
      url: '/workspaces',
      headers: { ...c.admin, 'content-type': 'application/xml' },
      payload: '<workspace/>',
    }),
    status: 415,
    code: 'PORTAL_UNSUPPORTED_MEDIA_TYPE',
    message: /Content-Type/,
  },
  {
    name: 'malformed JSON on login (no credentials needed)',
    request: () => ({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@b.c","password":',
    }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },

  // Wrong types
  {
    name: 'object for a string',
    request: (c) => withBody(c, 'POST', '/workspaces', { workspaceId: { $ne: '' }, name: 'x' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /workspaceId/,
  },
  {
    name: 'array for a string',
    request: (c) => withBody(c, 'POST', '/workspaces', { workspaceId: ['a', 'b'], name: 'x' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'non-date expiresAt',
    request: (c) => withBody(c, 'POST', '/profile/tokens', { name: 'x', expiresAt: 'next week' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /expiresAt/,
  },
  {
    name: 'non-boolean readOnly',
    request: (c) =>
      withBody(c, 'POST', '/profile/tokens', { name: 'x', expiresAt: inDays(1), readOnly: 'yes' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /readOnly/,
  },
  {
    name: 'objects in workspaces',
    request: (c) =>
      withBody(c, 'POST', '/profile/tokens', { name: 'x', expiresAt: inDays(1), workspaces: [{}] }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'unknown role',
    request: (c) => withBody(c, 'PUT', `/workspaces/acme/members/${c.viewerId}`, { role: 'Owner' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /role/,
  },
  {
    name: 'lower-case role',
    request: (c) => withBody(c, 'PATCH', `/users/${c.viewerId}`, { role: 'admin' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'non-integer partitions',
    request: (c) => withBody(c, 'POST', '/acme/topics', { name: 't', configuration: { partitions: 'many' } }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'fractional partitions',
    request: (c) => withBody(c, 'POST', '/acme/topics', { name: 't', configuration: { partitions: 1.5 } }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'audit limit not a number',
    request: (c) => ({ method: 'GET', url: '/audit?limit=abc', headers: c.admin }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'audit limit out of range',
    request: (c) => ({ method: 'GET', url: '/audit?limit=100000', headers: c.admin }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'unknown audit action',
    request: (c) => ({ method: 'GET', url: '/audit?action=drop_table', headers: c.admin }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },

  // Unknown properties
  {
    name: 'unknown property on create workspace',
    request: (c) => withBody(c, 'POST', '/workspaces', { workspaceId: 'extra', name: 'x', owner: 'me' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /unknown property 'owner'/,
  },
  {
    name: 'unknown property on a PAT',
    request: (c) => withBody(c, 'POST', '/profile/tokens', { name: 'x', expiresAt: inDays(1), admin: true }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /unknown property 'admin'/,
  },
  {
    name: 'unknown property on login',
    request: () => ({
      method: 'POST',
      url: '/auth/login',
      payload: { email: 'a@b.c', password: 'p', remember: true },
    }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'passwordHash on a user update',
    request: (c) => withBody(c, 'PATCH', `/users/${c.viewerId}`, { role: 'Viewer', passwordHash: 'x' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /passwordHash/,
  },
  {
    name: 'disabled as a string on a user update',
    request: (c) => withBody(c, 'PATCH', `/users/${c.viewerId}`, { disabled: 'yes' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /disabled/,
  },
  {
    name: 'keepWorkspaceRoles without a demotion to None',
    request: (c) => withBody(c, 'PATCH', `/users/${c.viewerId}`, { keepWorkspaceRoles: true }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /keepWorkspaceRoles/,
  },
  {
    name: 'deleting a user that does not exist',
    request: (c) => withBody(c, 'DELETE', '/users/u-nobody', undefined),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'password change without the current password',
    request: (c) => withBody(c, 'POST', '/profile/password', { newPassword: 'a-long-enough-password' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /currentPassword/,
  },
  {
    name: 'signing-key rotation with a grace period but no retirement',
    request: (c) => withBody(c, 'POST', '/signing-keys/rotate', { purpose: 'pat', graceSeconds: 0 }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /retirePrevious/,
  },
  {
    name: 'organisationRole on a member',
    request: (c) =>
      withBody(c, 'PUT', `/workspaces/acme/members/${c.viewerId}`, {
        role: 'Viewer',
        organisationRole: 'Admin',
      }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'unknown topic configuration key',
    request: (c) =>
      withBody(c, 'POST', '/acme/topics', { name: 't', configuration: { compression: 'gzip' } }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'unknown audit query parameter',
    request: (c) => ({ method: 'GET', url: '/audit?sql=1', headers: c.admin }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },

  // Missing fields
  {
    name: 'workspace without a name',
    request: (c) => withBody(c, 'POST', '/workspaces', { workspaceId: 'noname' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /name/,
  },
  {
    name: 'empty workspace body',
    request: (c) => withBody(c, 'POST', '/workspaces', {}),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'PAT without expiry',
    request: (c) => withBody(c, 'POST', '/profile/tokens', { name: 'x' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /expiresAt/,
  },
  {
    name: 'PAT with a blank name',
    request: (c) => withBody(c, 'POST', '/profile/tokens', { name: '   ', expiresAt: inDays(1) }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /name/,
  },
  {
    name: 'user without a password',
    request: (c) => withBody(c, 'POST', '/users', { email: 'nopass@example.test' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'user with a short password',
    request: (c) => withBody(c, 'POST', '/users', { email: 'short@example.test', password: 'short' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
    message: /at least 12/,
  },
  {
    name: 'user with a bad email',
    request: (c) =>
      withBody(c, 'POST', '/users', { email: 'not-an-email', password: 'long-enough-password' }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'member without a role',
    request: (c) => withBody(c, 'PUT', `/workspaces/acme/members/${c.viewerId}`, {}),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'empty user update',
    request: (c) => withBody(c, 'PATCH', `/users/${c.viewerId}`, {}),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'topic without a name',
    request: (c) => withBody(c, 'POST', '/acme/topics', { configuration: null }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },

  // Oversized bodies
  {
    name: 'body over 64 KiB',
    request: (c) => withBody(c, 'POST', '/workspaces', { workspaceId: 'big', name: big }),
    status: 413,
    code: 'PORTAL_PAYLOAD_TOO_LARGE',
  },
  {
    name: 'login body over 64 KiB',
    request: () => ({ method: 'POST', url: '/auth/login', payload: { email: 'a@b.c', password: big } }),
    status: 413,
    code: 'PORTAL_PAYLOAD_TOO_LARGE',
  },
  {
    name: 'over-long If-Match',
    request: (c) => ({
      method: 'POST',
      url: '/workspaces/acme/streaming-tokens/rotate',
      headers: { ...c.admin, 'if-match': `"${'x'.repeat(300)}"` },
    }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },

  // Damaged streaming tokens
  {
    name: 'streaming token with one body character changed',
    request: (c) => ({ method: 'GET', url: '/workspaces', headers: bearer(changeOne(c.token1, 10)) }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
    message: /checksum/,
  },
  {
    name: 'streaming token with one checksum character changed',
    request: (c) => ({
      method: 'GET',
      url: '/workspaces',
      headers: bearer(changeOne(c.token1, c.token1.length - 1)),
    }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
    message: /checksum/,
  },
  {
    name: 'truncated streaming token',
    request: (c) => ({ method: 'GET', url: '/workspaces', headers: bearer(c.token1.slice(0, -3)) }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
    message: /sgs_ format/,
  },
  {
    name: 'garbage streaming token',
    request: () => ({ method: 'GET', url: '/workspaces', headers: bearer('sgs_garbage') }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  {
    name: 'well-formed but unknown streaming token',
    request: () => ({ method: 'GET', url: '/workspaces', headers: bearer(generateStreamingToken()) }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
    message: /Unknown streaming token/,
  },
  {
    name: 'token with an unknown prefix',
    request: () => ({ method: 'GET', url: '/workspaces', headers: bearer('sgx_abcdef') }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
    message: /Unrecognised/,
  },
  {
    name: 'damaged token on a write',
    request: (c) => ({
      method: 'POST',
      url: '/workspaces',
      headers: bearer(changeOne(c.token1, 5)),
      payload: { workspaceId: 'damaged', name: 'x' },
    }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },

  // Authorization headers that are not Bearer
  {
    name: 'Basic authorization',
    request: () => authz('Basic YWRtaW46cGFzc3dvcmQ='),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
    message: /Bearer/,
  },
  {
    name: 'Token authorization',
    request: (c) => authz(`Token ${c.token1}`),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  {
    name: 'bare token without a scheme',
    request: (c) => authz(c.token1),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  {
    name: 'Bearer without a token',
    request: () => authz('Bearer'),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  {
    name: 'Bearer with a blank token',
    request: () => authz('Bearer   '),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  {
    name: 'Bearer with two tokens',
    request: (c) => authz(`Bearer ${c.token1} ${c.token1}`),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  { name: 'empty Authorization header', request: () => authz(''), status: 401, code: 'PORTAL_INVALID_TOKEN' },
  {
    name: 'bad Authorization beats a good cookie',
    request: (c) => ({
      method: 'GET',
      url: '/workspaces',
      headers: { ...c.admin, authorization: 'Basic eDp5' },
    }),
    status: 401,
    code: 'PORTAL_INVALID_TOKEN',
  },
  {
    name: 'no credentials',
    request: () => ({ method: 'GET', url: '/workspaces' }),
    status: 401,
    code: 'PORTAL_UNAUTHENTICATED',
  },

  // Unknown ids
  {
    name: 'unknown workspace',
    request: (c) => ({ method: 'GET', url: '/workspaces/nope', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'delete an unknown workspace',
    request: (c) => ({ method: 'DELETE', url: '/workspaces/nope', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'tokens of an unknown workspace',
    request: (c) => ({ method: 'GET', url: '/workspaces/nope/streaming-tokens', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'rotate an unknown workspace',
    request: (c) => ({
      method: 'POST',
      url: '/workspaces/nope/streaming-tokens/rotate',
      headers: { ...c.admin, 'if-match': c.etag },
    }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'members of an unknown workspace',
    request: (c) => ({ method: 'GET', url: '/workspaces/nope/members', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'set the role of an unknown user',
    request: (c) => withBody(c, 'PUT', '/workspaces/acme/members/u-nope', { role: 'Viewer' }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'reset the role of an unknown user',
    request: (c) => ({ method: 'DELETE', url: '/workspaces/acme/members/u-nope', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'update an unknown user',
    request: (c) => withBody(c, 'PATCH', '/users/u-nope', { name: 'x' }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'revoke an unknown PAT',
    request: (c) => ({ method: 'DELETE', url: '/profile/tokens/pat-nope', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'unknown topic',
    request: (c) => ({ method: 'GET', url: '/acme/topics/nope', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'topics of an unknown workspace',
    request: (c) => ({ method: 'GET', url: '/nope/topics', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'unknown route',
    request: (c) => ({ method: 'GET', url: '/no/such/route', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'path traversal in a workspace id',
    request: (c) => ({ method: 'GET', url: '/workspaces/..%2F..%2Fetc%2Fpasswd', headers: c.admin }),
    status: 404,
    code: 'PORTAL_NOT_FOUND',
  },
  {
    name: 'over-long workspace id',
    request: (c) => ({ method: 'GET', url: `/workspaces/${'x'.repeat(200)}`, headers: c.admin }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
  {
    name: 'over-long path segment',
    request: (c) => ({ method: 'GET', url: `/workspaces/${'x'.repeat(400)}`, headers: c.admin }),
    status: 414,
    code: 'PORTAL_URI_TOO_LONG',
  },
  {
    name: 'broken percent-encoding',
    request: (c) => ({ method: 'GET', url: '/workspaces/%E0%A4%A', headers: c.admin }),
    status: 400,
    code: 'PORTAL_BAD_REQUEST',
  },
];

async function snapshot(h: Harness) {
  const store = h.portal.store;
  const users = await store.listUsers();
  return JSON.stringify({
    workspaces: await store.listWorkspaces(),
    users,
    roles: await Promise.all(users.map(async (u) => [...(await store.workspaceRolesOf(u.id))])),
    pats: await Promise.all(users.map((u) => store.listPats(u.id))),
    tokens: (await store.listActiveTokens()).map((t) => [t.id, t.slot]),
    topics: await store.listTopics('acme'),
  });
}

describe('bad input', () => {
  let h: Harness;
  let ctx: Ctx;

  before(async () => {
    h = await startHarness();
    await h.createWorkspace('acme');
    const viewer = await h.userWithRole('Viewer');
    const pair = await h.streamingTokens('acme');
    ctx = { admin: (await h.admin()).headers, token1: pair.token1, viewerId: viewer.userId, etag: pair.etag };
  });
  after(async () => {
    await h.close();
  });

  for (const row of rows) {
    it(`${row.name} → ${row.status} ${row.code}`, async () => {
      const before = await snapshot(h);
      const response = await h.inject(row.request(ctx));
      assert.equal(response.statusCode, row.status, response.body.slice(0, 300));
      const body = response.json();
      assert.deepEqual(Object.keys(body).sort(), ['code', 'correlationId', 'message']);
      assert.equal(body.code, row.code);
      assert.equal(body.correlationId, response.headers['x-correlation-id']);
      assert.equal(typeof body.message, 'string');
      assert.ok(body.message.length > 0 && body.message.length < 500, body.message);
      if (row.message) assert.match(body.message, row.message);
      assert.doesNotMatch(
        response.body,
        /\bat [\w.<>]+ \(|\n\s+at |node:internal|file:\/\/|\/work\/|\.ts:\d+/,
      );
      assert.equal(await snapshot(h), before, 'the state is unchanged');
    });
  }

  it('kept the portal healthy: nothing was logged as an unexpected error', () => {
    assert.doesNotMatch(h.logs(), /unexpected error|"level":50/);
  });
});

// A throw-away, in-memory stand-in for the Portal API (docs/api.md), for working on the UI when
// no real portal is at hand: `node packages/web/dev/mock-portal.ts` then open /ui/. It serves
// dist/ under /ui/ with the same CSP as the portal. The e2e tests never use it: they run the
// real portal.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

const DIST = join(import.meta.dirname, '..', 'dist');
const now = () => new Date().toISOString();
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const secret = (prefix: string) => `${prefix}${randomBytes(24).toString('base64url')}`;

type Json = Record<string, unknown>;
const users = [
  {
    id: 'u1',
    email: 'admin@example.com',
    password: 'admin-password',
    name: 'Ada Admin',
    role: 'Admin',
    createdAt: ago(9e9),
  },
  {
    id: 'u2',
    email: 'viewer@example.com',
    password: 'viewer-password',
    name: 'Vic Viewer',
    role: 'Viewer',
    createdAt: ago(5e9),
  },
  {
    id: 'u3',
    email: 'ed@example.com',
    password: 'editor-password',
    name: '',
    role: 'Editor',
    createdAt: ago(4e9),
  },
];
const workspaces = ['acme-dev', 'acme-prod'].map((workspaceId) => ({
  workspaceId,
  name: workspaceId.split('-')[1],
  status: 'Ready',
  createdAt: ago(8e9),
  brokerType: 'SelfHosted',
  broker: {
    address: '127.0.0.1:9092',
    securityMode: 'Sasl',
    saslMechanism: 'OAuthBearer',
    hasCertificate: false,
  },
  brokerSettings: { brokerType: 'SelfHosted', syncTopics: false },
  version: 2,
}));
const memberRoles = new Map<string, string>([['acme-prod|u3', 'Viewer']]);
const newToken = (used: boolean) => ({
  id: randomUUID(),
  value: secret('sgs_'),
  createdAt: ago(3e9),
  lastUsedAt: used ? ago(4 * 60e3) : null,
  lastUsedBy: null as Json | null,
  recentClients: used
    ? [
        {
          userAgent: 'quixstreams/3.14.1 python-httpx/0.28',
          address: '10.0.4.17',
          deploymentId: 'orders-enricher',
          lastUsedAt: ago(4 * 60e3),
        },
        {
          userAgent: 'streamgate-client/0.1.0 node/24.2',
          address: '10.0.4.22',
          deploymentId: null,
          lastUsedAt: ago(3 * 3600e3),
        },
      ]
    : [],
});
const pairs = new Map(
  workspaces.map((w) => [w.workspaceId, { pairId: randomUUID(), t1: newToken(true), t2: newToken(false) }]),
);
const pats: (Json & { userId: string })[] = [];
const topics = new Map<string, Json[]>([
  [
    'acme-dev',
    [
      {
        id: 'acme-dev-orders',
        name: 'orders',
        workspaceId: 'acme-dev',
        status: 'Ready',
        lastError: null,
        createdAt: ago(2e9),
        updatedAt: ago(2e9),
        configuration: {
          partitions: 2,
          replicationFactor: 1,
          retentionInMinutes: 10080,
          retentionInBytes: 52428800,
          cleanupPolicy: 'Delete',
        },
      },
      {
        id: 'acme-dev-payments',
        name: 'payments',
        workspaceId: 'acme-dev',
        status: 'Ready',
        lastError: null,
        createdAt: ago(1e9),
        updatedAt: ago(1e9),
        configuration: {
          partitions: 6,
          replicationFactor: 1,
          retentionInMinutes: 1440,
          retentionInBytes: 1073741824,
          cleanupPolicy: 'Compact',
        },
      },
    ],
  ],
]);
const audit: Json[] = [];
const sessions = new Map<string, { userId: string; csrf: string }>();

function record(
  req: IncomingMessage,
  userId: string,
  action: string,
  workspaceId: string | null,
  target: string | null,
  details: Json = {},
) {
  const u = users.find((x) => x.id === userId);
  audit.unshift({
    id: randomUUID(),
    at: now(),
    actor: { kind: 'user', id: userId, label: u?.email ?? userId },
    action,
    workspaceId,
    target,
    details,
    address: req.socket.remoteAddress ?? null,
  });
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}
function fail(res: ServerResponse, status: number, message: string, code: string) {
  send(res, status, { message, correlationId: randomUUID(), code });
}
const roleIn = (userId: string, ws: string) => {
  const u = users.find((x) => x.id === userId)!;
  return memberRoles.get(`${ws}|${userId}`) ?? u.role;
};
const userJson = ({ password: _p, ...u }: (typeof users)[number]) => u;

async function body(req: IncomingMessage): Promise<Json> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Json) : {};
}

async function api(req: IncomingMessage, res: ServerResponse, url: URL) {
  const p = url.pathname;
  const m = req.method ?? 'GET';
  if (m === 'POST' && p === '/auth/login') {
    const b = await body(req);
    const u = users.find((x) => x.email === b.email && x.password === b.password);
    if (!u) {
      audit.unshift({
        id: randomUUID(),
        at: now(),
        actor: { kind: 'anonymous', id: '', label: String(b.email) },
        action: 'auth.login_failed',
        workspaceId: null,
        target: String(b.email),
        details: {},
        address: req.socket.remoteAddress ?? null,
      });
      return fail(res, 401, 'Wrong email or password.', 'PORTAL_AUTHENTICATION');
    }
    const sid = randomUUID();
    const csrf = randomUUID();
    sessions.set(sid, { userId: u.id, csrf });
    record(req, u.id, 'auth.login', null, u.email);
    return send(
      res,
      200,
      { user: userJson(u), csrfToken: csrf },
      { 'set-cookie': `sg_session=${sid}; Path=/; HttpOnly; SameSite=Lax` },
    );
  }
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer) {
    for (const [ws, pair] of pairs) {
      const token = [pair.t1, pair.t2].find((t) => t.value === bearer);
      if (!token) continue;
      const client = {
        userAgent: String(req.headers['user-agent'] ?? ''),
        address: req.socket.remoteAddress ?? '',
        deploymentId: (req.headers['x-deployment-id'] as string) ?? null,
      };
      token.lastUsedAt = now();
      token.lastUsedBy = client;
      token.recentClients = [
        { ...client, lastUsedAt: now() },
        ...token.recentClients.filter((c) => c.deploymentId !== client.deploymentId),
      ];
      const w = workspaces.find((x) => x.workspaceId === ws);
      return p === `/workspaces/${ws}`
        ? send(res, 200, w)
        : fail(res, 403, 'Not for streaming tokens.', 'PORTAL_FORBIDDEN');
    }
    const pat = pats.find((x) => x.token === bearer);
    if (pat && p === '/workspaces') return send(res, 200, workspaces);
    return fail(res, 401, 'Invalid token.', 'PORTAL_UNAUTHENTICATED');
  }
  const sid = /sg_session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  const session = sid ? sessions.get(sid) : undefined;
  if (!session) return fail(res, 401, 'Log in first.', 'PORTAL_UNAUTHENTICATED');
  if (m !== 'GET' && req.headers['x-csrf-token'] !== session.csrf)
    return fail(res, 403, 'Missing or wrong CSRF token.', 'PORTAL_CSRF');
  const me = users.find((x) => x.id === session.userId)!;
  if (p === '/auth/me') return send(res, 200, { user: userJson(me), csrfToken: session.csrf });
  if (p === '/auth/logout') {
    sessions.delete(sid!);
    return send(res, 204);
  }
  if (p === '/workspaces' && m === 'GET') {
    return send(
      res,
      200,
      workspaces
        .filter((w) => roleIn(me.id, w.workspaceId) !== 'None')
        .map((w) => ({ ...w, role: roleIn(me.id, w.workspaceId) })),
    );
  }
  let r = /^\/workspaces\/([^/]+)\/streaming-tokens(\/rotate)?$/.exec(p);
  if (r) {
    const ws = r[1]!;
    const pair = pairs.get(ws)!;
    const role = roleIn(me.id, ws);
    if (r[2]) {
      if (role !== 'Admin')
        return fail(res, 403, 'Only Admins can rotate streaming tokens.', 'PORTAL_FORBIDDEN');
      if (!req.headers['if-match'])
        return fail(res, 428, 'If-Match is required.', 'PORTAL_PRECONDITION_REQUIRED');
      if (req.headers['if-match'] !== `"${pair.pairId}"`)
        return fail(res, 409, 'The tokens were rotated by someone else.', 'PORTAL_TOKENS_CHANGED');
      pairs.set(ws, { pairId: randomUUID(), t1: pair.t2, t2: { ...newToken(false), createdAt: now() } });
      record(req, me.id, 'streaming_tokens.rotate', ws, ws);
    }
    const cur = pairs.get(ws)!;
    const view = ['Admin', 'Manager', 'Editor'].includes(role);
    if (view) record(req, me.id, 'streaming_tokens.view', ws, ws);
    const strip = (t: Json) => (view ? t : { ...t, value: undefined });
    return send(
      res,
      200,
      {
        workspaceId: ws,
        token1: strip(cur.t1),
        token2: strip(cur.t2),
        canViewValues: view,
        canRotate: role === 'Admin',
      },
      { etag: `"${cur.pairId}"` },
    );
  }
  if (p === '/profile/tokens' && m === 'GET')
    return send(
      res,
      200,
      pats.filter((x) => x.userId === me.id).map(({ userId: _u, ...x }) => x),
    );
  if (p === '/profile/tokens' && m === 'POST') {
    const b = await body(req);
    const pat = {
      id: randomUUID(),
      name: b.name,
      createdAt: now(),
      expiresAt: b.expiresAt,
      lastUsedAt: null,
      workspaces: b.workspaces ?? null,
      readOnly: b.readOnly ?? false,
      userId: me.id,
    };
    const token = secret('sgp_');
    pats.push({ ...pat, token });
    record(req, me.id, 'pat.create', null, String(b.name));
    const { userId: _u, ...out } = pat;
    return send(res, 201, { ...out, token });
  }
  r = /^\/profile\/tokens\/([^/]+)$/.exec(p);
  if (r && m === 'DELETE') {
    const i = pats.findIndex((x) => x.id === r![1]);
    if (i >= 0) record(req, me.id, 'pat.revoke', null, String(pats[i]!.name));
    if (i >= 0) pats.splice(i, 1);
    return send(res, 204);
  }
  r = /^\/workspaces\/([^/]+)\/members(?:\/([^/]+))?$/.exec(p);
  if (r) {
    const ws = r[1]!;
    if (!['Admin', 'Manager'].includes(roleIn(me.id, ws)))
      return fail(res, 403, 'Admins and Managers only.', 'PORTAL_FORBIDDEN');
    if (r[2]) {
      if (roleIn(me.id, ws) !== 'Admin') return fail(res, 403, 'Admins only.', 'PORTAL_FORBIDDEN');
      if (m === 'PUT') memberRoles.set(`${ws}|${r[2]}`, String((await body(req)).role));
      if (m === 'DELETE') memberRoles.delete(`${ws}|${r[2]}`);
      record(req, me.id, m === 'PUT' ? 'member.set' : 'member.remove', ws, r[2]);
    }
    return send(
      res,
      200,
      users.map((u) => ({
        userId: u.id,
        email: u.email,
        name: u.name,
        organisationRole: u.role,
        workspaceRole: memberRoles.get(`${ws}|${u.id}`) ?? null,
        effectiveRole: roleIn(u.id, ws),
      })),
    );
  }
  if (p === '/audit') {
    if (me.role !== 'Admin') return fail(res, 403, 'Admins only.', 'PORTAL_FORBIDDEN');
    const ws = url.searchParams.get('workspaceId');
    const action = url.searchParams.get('action');
    const actor = url.searchParams.get('actor');
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const before = url.searchParams.get('before');
    let list = audit.filter(
      (e) =>
        (!ws || e.workspaceId === ws) &&
        (!action || e.action === action) &&
        (!actor || JSON.stringify(e.actor).includes(actor)),
    );
    if (before) list = list.slice(list.findIndex((e) => e.id === before) + 1);
    const page = list.slice(0, limit);
    return send(res, 200, {
      entries: page,
      nextBefore: list.length > limit ? (page.at(-1)!.id as string) : null,
    });
  }
  r = /^\/([^/]+)\/topics(?:\/([^/]+))?$/.exec(p);
  if (r && pairs.has(r[1]!)) {
    const ws = r[1]!;
    if (process.env.MOCK_BROKER_DOWN)
      return fail(
        res,
        503,
        'The Kafka broker at 127.0.0.1:9092 is not reachable.',
        'PORTAL_BROKER_UNAVAILABLE',
      );
    const list = topics.get(ws) ?? [];
    topics.set(ws, list);
    if (m === 'POST') {
      const b = await body(req);
      const t = {
        id: `${ws}-${b.name}`,
        name: b.name,
        workspaceId: ws,
        status: 'Ready',
        lastError: null,
        createdAt: now(),
        updatedAt: now(),
        configuration: {
          partitions: 1,
          replicationFactor: 1,
          retentionInMinutes: 10080,
          retentionInBytes: 52428800,
          cleanupPolicy: 'Delete',
          ...Object.fromEntries(Object.entries(b.configuration as Json).filter(([, v]) => v !== null)),
        },
      };
      list.push(t);
      record(req, me.id, 'topic.create', ws, String(b.name));
      return send(res, 201, t);
    }
    if (m === 'DELETE') {
      topics.set(
        ws,
        list.filter((t) => t.name !== r![2]),
      );
      record(req, me.id, 'topic.delete', ws, r[2]!);
      return send(res, 204);
    }
    return send(res, 200, list);
  }
  if (p === '/workspaces' && m === 'POST') {
    const b = await body(req);
    const w = {
      ...workspaces[0]!,
      workspaceId: String(b.workspaceId),
      name: String(b.name),
      createdAt: now(),
    };
    workspaces.push(w);
    pairs.set(w.workspaceId, { pairId: randomUUID(), t1: newToken(false), t2: newToken(false) });
    record(req, me.id, 'workspace.create', w.workspaceId, w.workspaceId);
    return send(res, 201, w);
  }
  if (p === '/users' && m === 'POST') {
    const b = await body(req);
    const u = {
      id: randomUUID(),
      email: String(b.email),
      password: String(b.password),
      name: String(b.name ?? ''),
      role: String(b.role ?? 'Viewer'),
      createdAt: now(),
    };
    users.push(u);
    record(req, me.id, 'user.create', null, u.email);
    return send(res, 201, userJson(u));
  }
  return fail(res, 404, `No route ${m} ${p}.`, 'PORTAL_NOT_FOUND');
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/') return send(res, 302, undefined, { location: '/ui/' });
  if (url.pathname === '/ui' || url.pathname.startsWith('/ui/')) {
    const rel = url.pathname.replace(/^\/ui\/?/, '');
    let file = rel && !rel.includes('..') ? join(DIST, rel) : join(DIST, 'index.html');
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      file = join(DIST, 'index.html');
      data = await readFile(file);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
    });
    return res.end(data);
  }
  try {
    await api(req, res, url);
  } catch (e) {
    fail(res, 500, `Mock portal error: ${(e as Error).message}`, 'PORTAL_INTERNAL');
  }
}).listen(Number(process.env.PORT ?? 8787), '127.0.0.1', function (this: { address(): { port: number } }) {
  console.log(`mock portal on http://127.0.0.1:${this.address().port}/ui/`);
});

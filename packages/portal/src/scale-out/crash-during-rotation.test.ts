import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type CrashEngine, postgresEngine, sqliteEngine } from '../../test-support/crash-engines.ts';
import {
  bearer,
  login,
  pairOf,
  RequestFailed,
  readPair,
  rotate,
  type SessionHeaders,
  send,
  type TokenPairSeen,
} from '../../test-support/portal-client.ts';
import { type PortalProcess, startPortalProcess } from '../../test-support/portal-process.ts';
import { TokenChain } from '../../test-support/token-chain.ts';
import { sha256Hex } from '../crypto/hashing.ts';

/**
 * A portal SIGKILLed while rotations are in flight, again and again, on the same database:
 * after every restart the workspace has one whole pair (the newest one a client saw, or the
 * one a rotation whose reply was lost committed), both its tokens authenticate, and every
 * older token is refused with 401. Never a half-rotated pair, never a third state.
 */
// STREAMGATE_CRASH_CYCLES raises the count for a soak run; the default keeps each engine well under 90 s.
const cycles = Number(process.env.STREAMGATE_CRASH_CYCLES ?? 10);
const workers = 3;
const ws = 'dev';
const bystander = 'bystander';
const seed = Number(process.env.STREAMGATE_CRASH_SEED ?? randomInt(2 ** 31));

/** mulberry32: the kill moments are reproducible from the seed printed on failure. */
function seededRandom(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what}`);
    await sleep(2);
  }
}

/** Workers read the pair and rotate it with its ETag, until the portal is SIGKILLed under them. */
async function rotateUntilKilled(
  portal: PortalProcess,
  session: SessionHeaders,
  chain: TokenChain,
  random: () => number,
) {
  let stopping = false;
  let inFlight = 0;
  let sent = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    try {
      while (!stopping) {
        const pair = await readPair(portal.url, session, ws);
        chain.observe(pair);
        inFlight++;
        sent++;
        const reply = await rotate(portal.url, session, ws, pair.etag).finally(() => inFlight--);
        if (reply.status === 200) chain.observe(pairOf(reply));
        else if (reply.status !== 409)
          throw new Error(`rotation answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      }
    } catch (error) {
      // Only the kill may cut a request off; a wrong answer or a fork fails the test regardless.
      if (!(stopping && error instanceof RequestFailed)) failures.push(error);
    }
  };
  const running = Array.from({ length: workers }, worker);
  await until(() => sent > 0 || failures.length > 0, 'a first rotation');
  await sleep(random() * 400);
  await until(() => inFlight > 0 || failures.length > 0, 'a rotation in flight');
  stopping = true;
  await portal.kill();
  await Promise.all(running);
  if (failures.length > 0) throw failures[0];
  return { sent };
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(each));
}

function runCrashSuite(openEngine: () => Promise<CrashEngine>, name: string) {
  describe(`crash during rotations: ${name}`, () => {
    let engine: CrashEngine | undefined;
    let portal: PortalProcess | undefined;
    let session: SessionHeaders;
    let bystanderPair: TokenPairSeen;
    const chain = new TokenChain();
    /** Committed rotations with no `streaming_tokens.rotate` audit entry, after the last crash. */
    let unaudited: number | undefined;

    const start = async () => {
      portal = await startPortalProcess({ env: engine!.env, dataDir: engine!.dataDir });
      return portal;
    };

    before(async () => {
      engine = await openEngine();
      const first = await start();
      session = await login(
        first.url,
        engine.env.STREAMGATE_ADMIN_EMAIL!,
        engine.env.STREAMGATE_ADMIN_PASSWORD!,
      );
      const created = await send(first.url, 'POST', '/workspaces', {
        headers: { ...session },
        json: { workspaceId: bystander, name: 'Bystander' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      bystanderPair = await readPair(first.url, session, bystander);
      chain.observe(await readPair(first.url, session, ws));
    });

    after(async () => {
      await portal?.kill();
      await engine?.dispose();
    });

    /** The rows, read with the portal's own store while no portal runs. */
    const checkStore = async (cycle: number) => {
      // Raw rows first: the SQLite store holds the file's exclusive lock while it is open.
      const rows = await engine!.tokenRows(ws);
      const store = engine!.openStore();
      try {
        const newest = chain.newest();
        const pair = await store.activeTokenPair(ws);
        assert.ok(pair, `cycle ${cycle}: no whole active pair`);
        const active = (await store.listActiveTokens()).filter((token) => token.workspaceId === ws);
        assert.deepEqual(active.map((token) => token.slot).sort(), [1, 2], `cycle ${cycle}: active slots`);
        const unchanged = pair.token1.id === newest.token1 && pair.token2.id === newest.token2;
        const advanced = pair.token1.id === newest.token2 && !chain.has(pair.token2.id);
        assert.ok(
          unchanged || advanced,
          `cycle ${cycle}: active pair ${pair.token1.id}.${pair.token2.id} is neither the newest seen (${newest.token1}.${newest.token2}) nor its successor`,
        );
        for (const [id, value] of chain.tokens()) {
          const row = await store.findTokenByHash(sha256Hex(value));
          assert.equal(row?.id, id, `cycle ${cycle}: token ${id} has no row`);
          const slot: 1 | 2 | null = id === pair.token1.id ? 1 : id === pair.token2.id ? 2 : null;
          assert.equal(row.slot, slot, `cycle ${cycle}: slot of ${id}`);
          assert.equal(row.deactivatedAt === null, slot !== null, `cycle ${cycle}: deactivatedAt of ${id}`);
        }
        assert.equal(
          rows.length,
          newest.generation + (advanced ? 1 : 0) + 2,
          `cycle ${cycle}: one row per token`,
        );
        for (const row of rows)
          assert.equal(row.slot === null, row.deactivated, `cycle ${cycle}: row ${row.id}`);
        const other = await store.activeTokenPair(bystander);
        assert.deepEqual(
          [other?.token1.id, other?.token2.id],
          [bystanderPair.token1.id, bystanderPair.token2.id],
        );
        const audited = await store.queryAudit({
          workspaceIds: null,
          workspaceId: ws,
          action: 'streaming_tokens.rotate',
          limit: 1_000_000,
        });
        const committed = newest.generation + (advanced ? 1 : 0);
        return {
          pair: { token1: pair.token1.id, token2: pair.token2.id },
          advanced,
          unaudited: committed - audited.length,
        };
      } finally {
        await store.close();
      }
    };

    /** The same, through the restarted portal: what clients see. */
    const checkApi = async (cycle: number, expected: { token1: string; token2: string }) => {
      const url = portal!.url;
      const seen = await readPair(url, session, ws); // the session survived the crash too
      assert.deepEqual(
        [seen.token1.id, seen.token2.id],
        [expected.token1, expected.token2],
        `cycle ${cycle}`,
      );
      chain.observe(seen);
      const workspaceWith = (token: string) =>
        send(url, 'GET', `/workspaces/${ws}`, { headers: bearer(token) });
      for (const value of [seen.token1.value, seen.token2.value]) {
        const reply = await workspaceWith(value);
        assert.equal(
          reply.status,
          200,
          `cycle ${cycle}: an active token refused: ${JSON.stringify(reply.body)}`,
        );
      }
      const retired = [...chain.tokens()].filter(([id]) => id !== seen.token1.id && id !== seen.token2.id);
      await inBatches(retired, 8, async ([id, value]) => {
        const reply = await workspaceWith(value);
        assert.equal(reply.status, 401, `cycle ${cycle}: retired token ${id} answered ${reply.status}`);
        assert.equal(reply.body.code, 'PORTAL_TOKEN_REVOKED', `cycle ${cycle}: retired token ${id}`);
      });
      for (const value of [bystanderPair.token1.value, bystanderPair.token2.value]) {
        const reply = await send(url, 'GET', `/workspaces/${bystander}`, { headers: bearer(value) });
        assert.equal(reply.status, 200, `cycle ${cycle}: the bystander workspace's token`);
      }
    };

    it(`keeps one whole pair through ${cycles} SIGKILLs in the middle of rotations`, {
      timeout: 300_000,
    }, async (t) => {
      const random = seededRandom(seed);
      let sent = 0;
      let lostButCommitted = 0;
      unaudited = 0;
      for (let cycle = 1; cycle <= cycles; cycle++) {
        const outcome = await rotateUntilKilled(portal!, session, chain, random).catch((error: unknown) => {
          throw new Error(`cycle ${cycle} (STREAMGATE_CRASH_SEED=${seed})`, { cause: error });
        });
        sent += outcome.sent;
        const found = await checkStore(cycle);
        if (found.advanced) lostButCommitted++;
        unaudited = found.unaudited;
        await start();
        await checkApi(cycle, found.pair);
      }
      t.diagnostic(
        `${name}: seed ${seed}, ${cycles} crashes, ${sent} rotations sent, ${chain.newest().generation} committed, ` +
          `${lostButCommitted} committed with the reply lost to the kill, ${unaudited} committed without an audit entry`,
      );
    });

    // The rotation and its audit entry commit in one transaction, so no crash can separate them.
    it('audits every committed rotation, crash or not', () => {
      assert.equal(unaudited, 0, `${unaudited} committed rotations have no audit entry`);
    });
  });
}

runCrashSuite(async () => sqliteEngine(), 'sqlite');
runCrashSuite(postgresEngine, 'postgres');

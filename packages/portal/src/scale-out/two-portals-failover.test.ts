import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { dropDatabase } from '../../test-support/drop-database.ts';
import {
  bearer,
  login,
  pairOf,
  type Reply,
  RequestFailed,
  readPair,
  rotate,
  type SessionHeaders,
  send,
  type TokenPairSeen,
} from '../../test-support/portal-client.ts';
import { type PortalProcess, startPortalProcess } from '../../test-support/portal-process.ts';
import { type PostgresCluster, startPostgres } from '../../test-support/postgres-cluster.ts';
import { seededRandom } from '../../test-support/seeded-random.ts';

/**
 * Two portal instances on one PostgreSQL database, streaming-token clients spread over both,
 * and instance A SIGKILLed while it rotates the workspace's tokens, again and again: the
 * rotation either happened or did not (never half), every client carries on against the
 * surviving instance B, and the audit log holds exactly the rotations that committed.
 */
const cycles = Number(process.env.STREAMGATE_FAILOVER_CYCLES ?? 4);
const clientsPerInstance = 3;
const ws = 'dev';
const seed = Number(process.env.STREAMGATE_FAILOVER_SEED ?? randomInt(2 ** 31));

interface ClientTally {
  home: 'A' | 'B';
  ok: number;
  okAfterKill: number;
  failedOver: number;
  failures: string[];
}

/**
 * A service holding Token 2: it reads its workspace and mints a broker JWT, in a loop, from its
 * home instance, and from the other one when its home gives no answer (as a client with two
 * portal addresses behind a load balancer would).
 */
function startClient(
  home: 'A' | 'B',
  urls: () => { A: string; B: string; aDown: boolean },
  token: string,
  killed: () => boolean,
) {
  const tally: ClientTally = { home, ok: 0, okAfterKill: 0, failedOver: 0, failures: [] };
  let stopping = false;
  const basic = `Basic ${Buffer.from(`${ws}:${token}`).toString('base64')}`;
  const call = async (url: string): Promise<void> => {
    const workspace: Reply = await send(url, 'GET', `/workspaces/${ws}`, { headers: bearer(token) });
    if (workspace.status !== 200) throw new Error(`GET workspace: ${workspace.status}`);
    const minted = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(20_000),
    }).catch((error: unknown) => {
      throw new RequestFailed(`POST ${url}/oauth/token: ${String(error)}`, { cause: error });
    });
    if (minted.status !== 200) throw new Error(`token endpoint: ${minted.status} ${await minted.text()}`);
  };
  const loop = (async () => {
    while (!stopping) {
      const { A, B, aDown } = urls();
      const first = home === 'A' && !aDown ? A : B;
      try {
        await call(first);
      } catch (error) {
        // Only instance A dies, and only a request it was serving may go unanswered.
        if (!(error instanceof RequestFailed) || first !== A) {
          tally.failures.push(String(error));
          return;
        }
        tally.failedOver++;
        try {
          await call(B);
        } catch (again) {
          tally.failures.push(`after failing over: ${String(again)}`);
          return;
        }
      }
      tally.ok++;
      if (killed()) tally.okAfterKill++;
      await sleep(20);
    }
  })();
  return {
    tally,
    async stop() {
      stopping = true;
      await loop;
    },
  };
}

describe('two portals, one killed while rotating, clients on both', () => {
  let cluster: PostgresCluster | undefined;
  let databaseUrl: string | undefined;
  let env: Record<string, string>;
  let a: PortalProcess | undefined;
  let b: PortalProcess | undefined;
  let session: SessionHeaders;
  const random = seededRandom(seed);

  before(async () => {
    cluster = await startPostgres();
    databaseUrl = await cluster.createDatabase();
    env = {
      STREAMGATE_DATABASE_URL: databaseUrl,
      STREAMGATE_SECRET_KEY: randomBytes(32).toString('base64'),
      STREAMGATE_ADMIN_EMAIL: 'admin@example.test',
      STREAMGATE_ADMIN_PASSWORD: `pw-${randomBytes(12).toString('hex')}`,
    };
    b = await startPortalProcess({ env });
    a = await startPortalProcess({ env });
    session = await login(b.url, env.STREAMGATE_ADMIN_EMAIL!, env.STREAMGATE_ADMIN_PASSWORD!);
  });

  after(async () => {
    await Promise.allSettled([a?.kill(), b?.stop()]);
    if (cluster && databaseUrl) await dropDatabase(cluster.url, databaseUrl).catch(() => {});
    await cluster?.stop();
  });

  const rotationsAudited = async (): Promise<number> => {
    const reply = await send(
      b!.url,
      'GET',
      `/audit?workspaceId=${ws}&action=streaming_tokens.rotate&limit=200`,
      {
        headers: { ...session },
      },
    );
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body.entries.length;
  };

  it(`keeps every client working and each rotation whole through ${cycles} kills of the rotating instance`, {
    timeout: 300_000,
  }, async () => {
    let committed = await rotationsAudited();
    const outcomes: string[] = [];
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const before = await readPair(b!.url, session, ws);
      let aDown = false;
      let killedAt = false;
      const urls = () => ({ A: a!.url, B: b!.url, aDown });
      const clients = [
        ...Array.from({ length: clientsPerInstance }, () =>
          startClient('A', urls, before.token2.value, () => killedAt),
        ),
        ...Array.from({ length: clientsPerInstance }, () =>
          startClient('B', urls, before.token2.value, () => killedAt),
        ),
      ];
      await sleep(300);

      // The rotation goes to A, which dies at a random moment while it is in flight.
      let answer: TokenPairSeen | 'no answer' | 'stale' = 'no answer';
      const rotation = rotate(a!.url, session, ws, before.etag).then(
        (reply) => {
          if (reply.status === 200) answer = pairOf(reply);
          else if (reply.status === 409) answer = 'stale';
          else throw new Error(`rotation answered ${reply.status}: ${JSON.stringify(reply.body)}`);
        },
        (error: unknown) => {
          if (!(error instanceof RequestFailed)) throw error;
        },
      );
      await sleep(random() * 40);
      await a!.kill();
      killedAt = true;
      await rotation;
      aDown = true;
      await sleep(800);
      for (const client of clients) await client.stop();

      const afterKill = await readPair(b!.url, session, ws);
      const rotated = afterKill.etag !== before.etag;
      if (rotated) {
        // Whole: Token 2 took Token 1's place, and a new Token 2 exists.
        assert.equal(afterKill.token1.id, before.token2.id, `cycle ${cycle} (seed ${seed})`);
        assert.notEqual(afterKill.token2.id, before.token2.id);
        assert.notEqual(afterKill.token2.id, before.token1.id);
        committed++;
      } else {
        assert.deepEqual(afterKill, before, `cycle ${cycle} (seed ${seed})`);
      }
      if (typeof answer === 'object')
        assert.deepEqual(answer, afterKill, 'the answered pair is the stored one');
      assert.notEqual(answer, 'stale', 'nobody else rotated');

      // The survivor enforces the outcome at once: the old Token 1 only if no rotation committed.
      const oldToken1 = await send(b!.url, 'GET', `/workspaces/${ws}`, {
        headers: bearer(before.token1.value),
      });
      assert.equal(oldToken1.status, rotated ? 401 : 200, `old Token 1 on B, cycle ${cycle}`);
      // The audit holds exactly the committed rotations (written in the rotation's transaction).
      assert.equal(await rotationsAudited(), committed, `audited rotations after cycle ${cycle}`);

      for (const { tally } of clients) {
        assert.deepEqual(tally.failures, [], `a client homed on ${tally.home}, cycle ${cycle}`);
        assert.ok(tally.okAfterKill > 0, `a client homed on ${tally.home} carried on after the kill`);
      }
      const failedOver = clients.reduce((sum, { tally }) => sum + tally.failedOver, 0);
      const requests = clients.reduce((sum, { tally }) => sum + tally.ok, 0);
      outcomes.push(
        `cycle ${cycle}: ${rotated ? 'rotated' : 'not rotated'}, reply ${typeof answer === 'object' ? 'received' : answer}, ${requests} client rounds, ${failedOver} failed over to B`,
      );
      a = await startPortalProcess({ env });
    }
    console.log(`two-portal failover (seed ${seed}):\n  ${outcomes.join('\n  ')}`);
  });
});

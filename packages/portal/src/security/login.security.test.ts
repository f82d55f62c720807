// Issue 10, login and rate limits: each test is named after the attack it stops.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Harness, startHarness } from '../../test-support/portal-harness.ts';
import { fixedClock } from '../clock.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createPasswordSlots } from '../crypto/password-slots.ts';
import { generateStreamingToken } from '../tokens/streaming-token-format.ts';

describe('login and rate-limit attacks', () => {
  const clock = fixedClock(new Date());
  let h: Harness;
  before(async () => {
    h = await startHarness({ clock, env: { STREAMGATE_TRUST_PROXY: '10.0.0.5' } });
    await h.createWorkspace('acme');
  });
  after(async () => {
    await h.close();
  });

  const login = (email: string, password: string, remoteAddress: string, headers = {}) =>
    h.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress, headers });

  it('a burst of parallel password guesses cannot slip past the limit while scrypt runs', async () => {
    const victim = await h.userWithRole('Viewer');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => login(victim.email, `guess-${i}`, '198.51.100.1')),
    );
    const verified = answers.filter((answer) => answer.statusCode === 401).length;
    const limited = answers.filter((answer) => answer.statusCode === 429).length;
    assert.equal(verified + limited, 30);
    assert.ok(verified <= 5, `${verified} guesses were checked against the password`);
  });

  it('flooding an account with wrong passwords does not lock its owner out from a fresh address', async () => {
    const owner = await h.userWithRole('Admin');
    for (let address = 0; address < 6; address++) {
      for (let i = 0; i < 8; i++) await login(owner.email, `wrong-${i}`, `203.0.113.${address}`);
    }
    assert.equal((await login(owner.email, 'wrong-again', '203.0.113.0')).statusCode, 429);
    const fresh = await login(owner.email, owner.password, '192.0.2.77');
    assert.equal(fresh.statusCode, 200, fresh.body);
  });

  it('a guesser from one address is slowed down more with every failure (no fixed window to wait out)', async () => {
    const victim = await h.userWithRole('Viewer');
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      let answer = await login(victim.email, `wrong-${round}`, '198.51.100.9');
      while (answer.statusCode === 401)
        answer = await login(victim.email, `wrong-${round}-x`, '198.51.100.9');
      assert.equal(answer.statusCode, 429);
      const wait = Number(answer.headers['retry-after']);
      waits.push(wait);
      clock.advance(wait * 1000);
    }
    for (let i = 1; i < waits.length; i++) assert.ok(waits[i]! > waits[i - 1]!, `delays ${waits.join(', ')}`);
  });

  it('X-Forwarded-For picks the address only from the trusted proxy: a client behind it is not throttled for another, a forgery from outside changes nothing', async () => {
    const victim = await h.userWithRole('Viewer');
    for (let i = 0; i < 12; i++)
      await login(victim.email, `wrong-${i}`, '10.0.0.5', { 'x-forwarded-for': '198.51.100.30' });
    const neighbour = await login(victim.email, victim.password, '10.0.0.5', {
      'x-forwarded-for': '198.51.100.31',
    });
    assert.equal(neighbour.statusCode, 200, neighbour.body);

    let last = 0;
    for (let i = 0; i < 12; i++) {
      const answer = await login(victim.email, `forged-${i}`, '198.51.100.20', {
        'x-forwarded-for': `192.0.2.${i}`,
      });
      last = answer.statusCode;
    }
    assert.equal(last, 429, 'a rotating forged header did not reset the count');
  });

  it('STREAMGATE_TRUST_PROXY=true (believe anyone) is refused at start, with what to write instead', () => {
    assert.throws(
      () => loadConfig({ STREAMGATE_TRUST_PROXY: 'true' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /CIDR|hop/);
        return true;
      },
    );
    assert.deepEqual(loadConfig({ STREAMGATE_TRUST_PROXY: '10.0.0.5, 10.1.0.0/16' }).trustProxy, [
      '10.0.0.5',
      '10.1.0.0/16',
    ]);
    assert.equal(loadConfig({ STREAMGATE_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(loadConfig({}).trustProxy, false);
    for (const bad of ['10.0.0.300', '10.0.0.0/33', 'proxy.example', '0', 'yes'])
      assert.throws(() => loadConfig({ STREAMGATE_TRUST_PROXY: bad }), ConfigError, bad);
  });

  it("wrong secrets sent from a client's address never make the token endpoint refuse its valid secret", async () => {
    const { token1 } = await h.streamingTokens('acme');
    const request = (secret: string) =>
      h.inject({
        method: 'POST',
        url: '/oauth/token',
        remoteAddress: '198.51.100.40',
        headers: {
          authorization: `Basic ${Buffer.from(`acme:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'grant_type=client_credentials',
      });
    for (let i = 0; i < 25; i++) await request(generateStreamingToken());
    assert.equal((await request(generateStreamingToken())).statusCode, 429, 'the guesser is slowed');
    const valid = await request(token1);
    assert.equal(valid.statusCode, 200, valid.body);
  });

  it('a flood of parallel logins cannot run more than a few scrypt verifications at once', async () => {
    const slots = createPasswordSlots({ concurrent: 2, queued: 3 });
    let running = 0;
    let most = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<void>((resolve) => {
        running++;
        most = Math.max(most, running);
        releases.push(() => {
          running--;
          resolve();
        });
      });
    const runs = Array.from({ length: 8 }, () =>
      slots.run(work).then(
        () => 'done',
        (e: Error) => e.name,
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(most, 2);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const outcomes = await Promise.all(runs);
    assert.equal(outcomes.filter((outcome) => outcome === 'done').length, 5, 'two running, three queued');
    assert.equal(most, 2);
  });
});

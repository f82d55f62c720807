import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fixedClock } from '../clock.ts';
import { createSqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { createSecretBox } from './secret-box.ts';
import { createSigningKeyRing } from './signing-keys.ts';

describe('signing key ring', () => {
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-keys-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("a retirement made by another instance reaches this one's signer and verifier within seconds", async () => {
    const store = createSqliteStore(join(dir, 'portal.db'));
    await store.migrate();
    const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
    const box = createSecretBox(randomBytes(32));
    // Two rings on one store stand for two portal instances.
    const here = createSigningKeyRing({ store, box, clock, purpose: 'pat' });
    const there = createSigningKeyRing({ store, box, clock, purpose: 'pat' });
    const old = await here.current();
    assert.ok(await here.byKid(old.kid));
    const { key: fresh, retiring } = await there.rotate({ retirePreviousAt: clock.now() });
    assert.deepEqual(
      retiring.map((record) => record.kid),
      [old.kid],
    );
    assert.equal(await there.byKid(old.kid), null, 'at once where it was retired');
    clock.advance(6_000);
    assert.equal(await here.byKid(old.kid), null, 'and here after the recheck');
    assert.equal((await here.current()).kid, fresh.kid, 'nor does it sign here any more');
    assert.deepEqual(
      (await here.publicJwks()).map((jwk) => jwk.kid),
      [fresh.kid],
    );
    await store.close();
  });
});

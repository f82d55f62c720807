import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dummyPasswordHash, hashPassword, verifyPassword } from './password.ts';

describe('password hashing', () => {
  it('verifies the right password and refuses any other', async () => {
    const stored = await hashPassword('correct horse battery');
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    for (const wrong of ['correct horse batter', 'Correct horse battery', '', 'correct horse battery ']) {
      assert.equal(await verifyPassword(wrong, stored), false, JSON.stringify(wrong));
    }
  });

  it('salts: the same password hashes differently, and the hash holds no plaintext', async () => {
    const a = await hashPassword('same password here');
    const b = await hashPassword('same password here');
    assert.notEqual(a, b);
    assert.ok(!a.includes('same password'));
    assert.match(a, /^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });

  it('refuses malformed stored hashes instead of accepting them', async () => {
    const stored = await hashPassword('correct horse battery');
    const [scheme, n, r, p, salt] = stored.split('$');
    for (const bad of [
      '',
      'plain',
      'correct horse battery',
      `bcrypt$${n}$${r}$${p}$${salt}$x`,
      `${scheme}$${n}$${r}$${p}$${salt}$`,
      `${scheme}$${n}$${r}$${p}$$abc`,
    ]) {
      assert.equal(await verifyPassword('correct horse battery', bad), false, bad);
    }
  });

  it('handles unicode passwords', async () => {
    const stored = await hashPassword('pässwörd-🔑-long');
    assert.equal(await verifyPassword('pässwörd-🔑-long', stored), true);
    assert.equal(await verifyPassword('passwort-🔑-long', stored), false);
  });

  it('has a dummy hash that no likely password matches', async () => {
    const dummy = await dummyPasswordHash();
    assert.equal(dummy, await dummyPasswordHash(), 'computed once');
    for (const guess of ['', 'password', 'admin', 'admin-password-for-tests']) {
      assert.equal(await verifyPassword(guess, dummy), false);
    }
  });
});

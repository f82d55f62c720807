import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { createSecretBox } from './secret-box.ts';

const box = createSecretBox(randomBytes(32));

/** Flips one bit in one of the dot-separated base64url parts. */
function flip(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part]!, 'base64url');
  bytes[0]! ^= 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('secret box', () => {
  it('opens what it sealed, unicode and empty strings included', () => {
    for (const plaintext of ['sgs_abc', '', 'ünïcødé 🔑', 'x'.repeat(10_000)]) {
      const sealed = box.seal(plaintext, 'row:1');
      assert.equal(box.open(sealed, 'row:1'), plaintext);
    }
  });

  it('never shows the plaintext and never repeats a ciphertext (random IV)', () => {
    const a = box.seal('sgs_secret_value', 'row:1');
    const b = box.seal('sgs_secret_value', 'row:1');
    assert.notEqual(a, b);
    assert.ok(!a.includes('sgs_secret_value'));
    assert.match(a, /^v1\.[\w-]+\.[\w-]+\.[\w-]*$/);
  });

  it('throws on any tampering: IV, tag, ciphertext, version, missing parts', () => {
    const sealed = box.seal('sgs_secret_value', 'row:1');
    for (const part of [1, 2, 3]) assert.throws(() => box.open(flip(sealed, part), 'row:1'), `part ${part}`);
    assert.throws(() => box.open(sealed.replace(/^v1/, 'v2'), 'row:1'));
    assert.throws(() => box.open(sealed.split('.').slice(0, 3).join('.'), 'row:1'));
    assert.throws(() => box.open('', 'row:1'));
    // A truncated ciphertext fails the tag check.
    const parts = sealed.split('.');
    parts[3] = Buffer.from(parts[3]!, 'base64url').subarray(0, 4).toString('base64url');
    assert.throws(() => box.open(parts.join('.'), 'row:1'));
  });

  it('throws when opened with other associated data (a ciphertext copied to another row)', () => {
    const sealed = box.seal('sgs_secret_value', 'streaming-token:acme:st-1');
    assert.throws(() => box.open(sealed, 'streaming-token:acme:st-2'));
    assert.throws(() => box.open(sealed, 'streaming-token:globex:st-1'));
    assert.throws(() => box.open(sealed, ''));
  });

  it('throws when opened with another key', () => {
    const sealed = box.seal('sgs_secret_value', 'row:1');
    assert.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'row:1'));
  });

  it('refuses a key that is not 32 bytes', () => {
    assert.throws(() => createSecretBox(randomBytes(16)), TypeError);
    assert.throws(() => createSecretBox(randomBytes(33)), TypeError);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkStreamingTokenShape,
  generateStreamingToken,
  streamingTokenPrefix,
} from './streaming-token-format.ts';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const bodyLength = 32;

describe('streaming token format', () => {
  it('is sgs_ followed by 38 base62 characters, and checks as valid', () => {
    for (let i = 0; i < 200; i++) {
      const token = generateStreamingToken();
      assert.match(token, /^sgs_[0-9A-Za-z]{38}$/);
      assert.equal(checkStreamingTokenShape(token), 'valid');
    }
    assert.equal(streamingTokenPrefix, 'sgs_');
  });

  it('carries at least 160 random bits: 32 uniform base62 characters, never repeating', () => {
    assert.ok(bodyLength * Math.log2(62) >= 160);
    const tokens = Array.from({ length: 2000 }, generateStreamingToken);
    assert.equal(new Set(tokens).size, tokens.length);
    // Every body character is drawn from all 62 symbols, roughly evenly (bounds ~10 sigma wide,
    // so this fails only when the generator is biased, e.g. a byte % 62 without rejection).
    const counts = new Map<string, number>();
    for (const token of tokens) {
      for (const char of token.slice(4, 4 + bodyLength)) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    assert.equal(counts.size, 62);
    const expected = (tokens.length * bodyLength) / 62;
    for (const [char, count] of counts) {
      assert.ok(Math.abs(count - expected) < expected * 0.25, `${char} appears ${count} times`);
    }
    // Each position varies independently of the others: no fixed characters anywhere in the body.
    for (let position = 0; position < bodyLength; position++) {
      const seen = new Set(tokens.map((token) => token[4 + position]));
      assert.ok(seen.size > 50, `position ${position} takes only ${seen.size} values`);
    }
  });

  it('catches every single-character substitution in the body and the checksum', () => {
    for (let sample = 0; sample < 8; sample++) {
      const token = generateStreamingToken();
      for (let position = streamingTokenPrefix.length; position < token.length; position++) {
        for (const replacement of alphabet) {
          if (replacement === token[position]) continue;
          const typo = token.slice(0, position) + replacement + token.slice(position + 1);
          assert.equal(checkStreamingTokenShape(typo), 'bad-checksum', `${position} → ${replacement}`);
        }
      }
    }
  });

  it('refuses truncated, extended, foreign and damaged-prefix tokens', () => {
    const token = generateStreamingToken();
    for (let length = 0; length < token.length; length++) {
      assert.notEqual(checkStreamingTokenShape(token.slice(0, length)), 'valid', `truncated to ${length}`);
    }
    assert.equal(checkStreamingTokenShape(token.slice(0, -1)), 'malformed');
    assert.equal(checkStreamingTokenShape(`${token}0`), 'malformed');
    assert.equal(checkStreamingTokenShape(`${token.slice(0, -1)}-`), 'malformed');
    assert.equal(checkStreamingTokenShape(` ${token}`), 'not-a-streaming-token');
    assert.equal(checkStreamingTokenShape(`SGS_${token.slice(4)}`), 'not-a-streaming-token');
    assert.equal(checkStreamingTokenShape(`sgp_${token.slice(4)}`), 'not-a-streaming-token');
    assert.equal(checkStreamingTokenShape(''), 'not-a-streaming-token');
    assert.equal(checkStreamingTokenShape(`${token}\n`), 'malformed');
  });
});

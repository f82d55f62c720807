import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseExpiry } from './expiry.ts';

const now = new Date('2025-06-01T12:00:00Z');

test('<N>d is N days from now', () => {
  assert.deepEqual(parseExpiry('30d', now), { expiresAt: new Date('2025-07-01T12:00:00Z') });
});

test('an ISO date is 00:00 UTC of that day; a date-time is taken as written', () => {
  assert.deepEqual(parseExpiry('2025-12-31', now), { expiresAt: new Date('2025-12-31T00:00:00Z') });
  assert.deepEqual(parseExpiry('2025-12-31T18:30:00+02:00', now), {
    expiresAt: new Date('2025-12-31T16:30:00Z'),
  });
});

test('anything else, zero days and the past are refused with a reason', () => {
  for (const text of ['tomorrow', '30', '1w', '2025-13-01', '31/12/2025', '']) {
    assert.ok('problem' in parseExpiry(text, now), text);
  }
  assert.deepEqual(parseExpiry('0d', now), { problem: '--expires must be at least 1d.' });
  assert.deepEqual(parseExpiry('2025-05-31', now), { problem: '--expires must be in the future.' });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expiryFor, maxCustomDate } from './pat-expiry.ts';

const now = new Date('2026-03-10T09:30:00');
const DAY = 24 * 60 * 60 * 1000;

describe('PAT expiry', () => {
  it('counts presets from now', () => {
    assert.equal(Date.parse(expiryFor('7', null, now)!) - now.getTime(), 7 * DAY);
    assert.equal(Date.parse(expiryFor('365', null, now)!) - now.getTime(), 365 * DAY);
  });

  it('ends a custom date at the end of that day, local time', () => {
    const at = new Date(expiryFor('custom', '2026-04-02', now)!);
    assert.deepEqual(
      [at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes()],
      [2026, 3, 2, 23, 59],
    );
  });

  it('refuses a missing, past or more than one year away custom date', () => {
    assert.equal(expiryFor('custom', null, now), null);
    assert.equal(expiryFor('custom', '2026-03-01', now), null);
    assert.equal(expiryFor('custom', '2027-03-10', now), null);
    assert.ok(Date.parse(expiryFor('custom', '2027-03-09', now)!) <= now.getTime() + 365 * DAY);
    assert.ok(maxCustomDate(now).getTime() <= now.getTime() + 365 * DAY);
  });
});

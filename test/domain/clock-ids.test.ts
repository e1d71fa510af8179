/** Calendar dates in a business's zone, and ids that sort in the order they were made. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localDate, localParts } from '../../src/domain/clock.js';
import { newId } from '../../src/domain/ids.js';

test('local dates follow the zone to the millisecond, also when asked for the same second over and over', () => {
  assert.equal(localDate(new Date('2026-03-01T20:59:59.998Z'), 'Africa/Nairobi'), '2026-03-01');
  assert.equal(localDate(new Date('2026-03-01T20:59:59.999Z'), 'Africa/Nairobi'), '2026-03-01');
  assert.equal(localDate(new Date('2026-03-01T21:00:00.000Z'), 'Africa/Nairobi'), '2026-03-02');
  assert.equal(localDate(new Date('2026-03-01T21:00:00.000Z'), 'Africa/Lagos'), '2026-03-01');
  assert.equal(localDate(new Date('2026-03-01T21:00:00.500Z'), 'Africa/Nairobi'), '2026-03-02');
  const parts = localParts(new Date('2026-03-01T21:00:00.250Z'), 'Africa/Nairobi');
  parts.hour = 99;
  assert.deepEqual(localParts(new Date('2026-03-01T21:00:00.750Z'), 'Africa/Nairobi'), { date: '2026-03-02', hour: 0, minute: 0, second: 0 });
});

test('ids made within one millisecond still sort in the order they were made, across every carry', () => {
  const ids = Array.from({ length: 100_000 }, () => newId('t', 1_000));
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i]! > ids[i - 1]!, `${ids[i - 1]} then ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
  assert.match(ids[0]!, /^t_[0-9A-HJKMNP-TV-Z]{26}$/);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/domain/errors.js';
import { applyRateBps, formatMajor, formatMoney, parseCurrency, parseMajor, parseRateBps } from '../../src/domain/money.js';

const refused = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof AppError && e.code === 'validation_failed' && pattern.test(e.message));

test('decimal strings parse exactly into minor units', () => {
  assert.equal(parseMajor('800', 'KES'), 80_000);
  assert.equal(parseMajor('800.5', 'KES'), 80_050);
  assert.equal(parseMajor('1,200.00', 'KES'), 120_000);
  assert.equal(parseMajor('1,234,567.89', 'NGN'), 123_456_789);
  assert.equal(parseMajor(0.1, 'USD'), 10);
  assert.equal(parseMajor(1200.07, 'KES'), 120_007);
  assert.equal(parseMajor('5000', 'UGX'), 5000);
  assert.equal(parseMajor(' 42 ', 'RWF'), 42);
});

test('amounts the currency cannot hold, or that are not amounts, are refused with the field named', () => {
  refused(() => parseMajor('10.123', 'KES', { field: 'amount' }), /amount: KES allows at most 2 decimal places/);
  refused(() => parseMajor('5000.5', 'UGX'), /UGX has no minor unit/);
  refused(() => parseMajor('-5', 'KES'), /must not be negative/);
  refused(() => parseMajor('abc', 'KES'), /not a decimal amount/);
  refused(() => parseMajor('1,20.00', 'KES'), /not a decimal amount/);
  refused(() => parseMajor('1,200', 'KES', { allowGrouping: false }), /no commas/);
  refused(() => parseMajor('1e5', 'KES'), /not a decimal amount/);
  refused(() => parseMajor(1e21, 'KES'), /out of range/);
  refused(() => parseMajor('0', 'KES', { allowZero: false }), /greater than zero/);
  refused(() => parseMajor(null, 'KES'), /decimal amount/);
  refused(() => parseMajor('99999999999999999', 'KES'), /too large/);
  refused(() => parseCurrency('XYZ'), /unsupported currency/);
});

test('formatting round-trips and groups thousands for people', () => {
  assert.equal(formatMajor(120_050, 'KES'), '1200.50');
  assert.equal(formatMajor(5, 'KES'), '0.05');
  assert.equal(formatMajor(5000, 'UGX'), '5000');
  assert.equal(formatMoney(123_456_789, 'KES'), 'KES 1,234,567.89');
  assert.equal(formatMoney(-150, 'USD'), 'USD -1.50');
  for (const minor of [0, 1, 99, 100, 123_456, 10_000_000_000_000]) assert.equal(parseMajor(formatMajor(minor, 'KES'), 'KES'), minor);
});

test('tax rounds half away from zero, once, in integers', () => {
  assert.equal(parseRateBps('16'), 1600);
  assert.equal(parseRateBps(7.5), 750);
  assert.equal(applyRateBps(99_999, 1600), 16_000); // 15999.84 → 16000
  assert.equal(applyRateBps(3_125, 1600), 500); // 500.00 exactly
  assert.equal(applyRateBps(3, 5000), 2); // 1.5 → 2
  assert.equal(applyRateBps(-3, 5000), -2); // -1.5 → -2
  assert.equal(applyRateBps(1, 4999), 0);
  assert.equal(applyRateBps(10_000_000_000_000, 750), 750_000_000_000);
  refused(() => parseRateBps('101'), /between 0 and 100/);
  refused(() => parseRateBps('7.555'), /percentage/);
});

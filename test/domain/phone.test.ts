import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../src/domain/errors.js';
import { normalisePhone } from '../../src/domain/phone.js';
import { normaliseSafaricom } from '../../src/domain/safaricom-phone.js';

test('every common way of writing a number becomes E.164', () => {
  for (const form of ['0712345678', '712345678', '254712345678', '+254 712 345 678', '+254-712-345678', '00254712345678']) {
    assert.equal(normalisePhone(form, 'KE'), '+254712345678', form);
  }
  assert.equal(normalisePhone('0772123456', 'UG'), '+256772123456');
  assert.equal(normalisePhone('08031234567', 'NG'), '+2348031234567');
  assert.equal(normalisePhone('+256772123456', 'KE'), '+256772123456', 'an international number keeps its own country');
});

test('invalid numbers are refused with the field named', () => {
  for (const bad of ['12345', '07123456789', 'abc', '+999123456789', '']) {
    assert.throws(() => normalisePhone(bad, 'KE', 'customer.phone'), (e: unknown) => e instanceof AppError && e.field === 'customer.phone', bad);
  }
});

test('Bill Manager numbers must be Safaricom’s', () => {
  assert.deepEqual(normaliseSafaricom('0110123456'), { e164: '+254110123456' });
  assert.deepEqual(normaliseSafaricom('254748123456'), { e164: '+254748123456' });
  assert.ok('error' in normaliseSafaricom('0733123456'));
});

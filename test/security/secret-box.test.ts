import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadKeyRing, open, parseKeyRing, seal } from '../../src/security/secret-box.js';

const key = (byte: number) => Buffer.alloc(32, byte).toString('base64');

test('sealed values open with their key, and keep opening after the key rotates', () => {
  const old = parseKeyRing(`k1:${key(1)}`);
  const sealed = seal(old, 'KCB 1234567890');
  assert.ok(!sealed.includes('1234567890'));
  assert.match(sealed, /^sealed:v1:k1:/);
  const rotated = parseKeyRing(`k2:${key(2)},k1:${key(1)}`);
  assert.equal(open(rotated, sealed), 'KCB 1234567890');
  assert.match(seal(rotated, 'x'), /^sealed:v1:k2:/, 'new values use the current key');
  assert.throws(() => open(parseKeyRing(`k2:${key(2)}`), sealed), /not in the key ring/);
});

test('a tampered value is refused, and the same plaintext never seals the same way twice', () => {
  const ring = parseKeyRing(`k1:${key(1)}`);
  const sealed = seal(ring, 'secret');
  const parts = sealed.split(':');
  parts[5] = Buffer.from('SECRET').toString('base64');
  assert.throws(() => open(ring, parts.join(':')));
  assert.notEqual(seal(ring, 'secret'), sealed);
  assert.throws(() => parseKeyRing('k1:short'), /32 bytes/);
});

test('without configured keys one is generated once, private to the owner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  try {
    const file = join(dir, 'data-key');
    const first = loadKeyRing({}, file);
    const second = loadKeyRing({}, file);
    assert.equal(open(second, seal(first, 'x')), 'x');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(readFileSync(file, 'utf8'), /^k1:/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

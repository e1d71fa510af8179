/**
 * Secrets at rest (rail credentials, webhook signing secrets): AES-256-GCM with a key id in every
 * sealed value, so keys can rotate: the first key of the ring seals, any key of the ring opens.
 * Keys come from BILLMANAGER_DATA_KEYS (`id:base64-32-bytes,…`); without it a key is generated
 * once into the data directory, so the zero-setup start still encrypts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface KeyRing {
  currentId: string;
  keys: Map<string, Buffer>;
}

const PREFIX = 'sealed:v1';

export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let currentId = '';
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [id, b64] = part.split(':');
    const key = Buffer.from(b64 ?? '', 'base64');
    if (!id || !/^[A-Za-z0-9_-]{1,32}$/.test(id) || key.length !== 32) throw new Error('BILLMANAGER_DATA_KEYS must be id:base64 of 32 bytes, comma-separated');
    keys.set(id, key);
    if (!currentId) currentId = id;
  }
  if (!currentId) throw new Error('BILLMANAGER_DATA_KEYS holds no key');
  return { currentId, keys };
}

/** From the environment, or a key file created once beside the embedded database. */
export function loadKeyRing(env: NodeJS.ProcessEnv, keyFile: string): KeyRing {
  if (env.BILLMANAGER_DATA_KEYS) return parseKeyRing(env.BILLMANAGER_DATA_KEYS);
  if (!existsSync(keyFile)) {
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, `k1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(keyFile, 0o600);
  }
  return parseKeyRing(readFileSync(keyFile, 'utf8').trim());
}

export function seal(ring: KeyRing, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.currentId)!, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [PREFIX, ring.currentId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
}

export function open(ring: KeyRing, sealed: string): string {
  const parts = sealed.split(':');
  if (parts.length !== 6 || `${parts[0]}:${parts[1]}` !== PREFIX) throw new Error('not a sealed value');
  const key = ring.keys.get(parts[2]!);
  if (!key) throw new Error(`sealed with key ${parts[2]}, which is not in the key ring`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parts[3]!, 'base64'));
  decipher.setAuthTag(Buffer.from(parts[4]!, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(parts[5]!, 'base64')), decipher.final()]).toString('utf8');
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${PREFIX}:`);
}

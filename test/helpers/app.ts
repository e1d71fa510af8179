/** A server on a test store, plus a business and tokens to call it with. */
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/server/app.js';
import { parseKeyRing } from '../../src/security/secret-box.js';
import { createApiToken } from '../../src/services/auth/api-tokens.js';
import { aBusiness } from './fixtures.js';
import { testCtx, type TestStore } from './stores.js';

export const PLATFORM_TOKEN = 'platform-operator-token-for-tests';
export const TEST_KEYS = parseKeyRing(`test:${Buffer.alloc(32, 7).toString('base64')}`);

export async function testApp(store: TestStore) {
  const ctx = testCtx(store);
  const config = { ...loadConfig({}), adminToken: PLATFORM_TOKEN, databaseUrl: store.url };
  const app: FastifyInstance = await buildApp({ store, config, keys: TEST_KEYS, clock: ctx.clock, logLevel: false });
  const business = await aBusiness(ctx);
  const admin = await createApiToken(ctx, { businessId: business.id, role: 'admin' });
  const staff = await createApiToken(ctx, { businessId: business.id, role: 'staff' });
  return { app, ctx, business, adminToken: admin.token, staffToken: staff.token };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** `billmanager serve`: migrate, listen, and shut down gracefully (finish in-flight requests, then close the database). */
import { loadConfig } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { buildApp } from '../server/app.js';
import { createApiToken } from '../services/auth/api-tokens.js';
import { createBusiness } from '../services/businesses/create-business.js';
import type { Ctx } from '../services/context.js';
import { migrateToLatest, openStore } from '../storage/database.js';
import { startWorkers } from '../jobs/start-workers.js';
import { loadKeyRing } from '../security/secret-box.js';

export async function serve(opts: { demo?: boolean; port?: string; host?: string }): Promise<void> {
  const config = loadConfig({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}), ...(opts.host ? { HOST: opts.host } : {}) });
  const store = openStore(config.databaseUrl);
  await migrateToLatest(store);
  const keys = loadKeyRing(process.env, config.keyFile);
  const app = await buildApp({ store, config, keys });
  if (opts.demo) await seedDemo({ store, clock: systemClock, actor: { type: 'cli', id: 'demo' } }, app.log);
  const workers = startWorkers({ store, clock: systemClock, keys, log: app.log });
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await workers.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`billmanager on ${config.publicUrl} (database: ${store.engine}); API reference at ${config.publicUrl}/docs`);
}

/** A newcomer's first start: a demo business and an admin token to try the API with. */
async function seedDemo(ctx: Ctx, log: { info: (msg: string) => void }): Promise<void> {
  let business = await ctx.store.db.selectFrom('businesses').select(['id', 'name']).where('name', '=', 'Demo Business').executeTakeFirst();
  if (!business) business = await createBusiness(ctx, { name: 'Demo Business', shortcode: '600000', currency: 'KES' });
  const { token } = await createApiToken(ctx, { businessId: business.id, role: 'admin', name: 'demo admin' });
  log.info(`demo business ${business.id}; admin token for this run: ${token}`);
}

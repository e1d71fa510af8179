/** `billmanager serve`: migrate, listen, and shut down gracefully (finish in-flight requests, then close the database). */
import { loadConfig } from '../config.js';
import { systemClock } from '../domain/clock.js';
import { buildApp } from '../server/app.js';
import { startDemo } from './demo.js';
import { migrateToLatest, openStore } from '../storage/database.js';
import { smsAdapterFor, startWorkers } from '../jobs/start-workers.js';
import { loadKeyRing } from '../security/secret-box.js';
import { emailSender, smtpTransport } from '../notify/email/mailer.js';

export async function serve(opts: { demo?: boolean; port?: string; host?: string }): Promise<void> {
  const config = loadConfig({ ...process.env, ...(opts.port ? { PORT: opts.port } : {}), ...(opts.host ? { HOST: opts.host } : {}) });
  const store = openStore(config.databaseUrl);
  await migrateToLatest(store);
  const keys = loadKeyRing(process.env, config.keyFile);
  const app = await buildApp({ store, config, keys });
  const email = emailSender(store, config.smtpUrl ? smtpTransport(config.smtpUrl) : null, config.mailFrom, config.publicUrl, keys, app.log);
  const workers = startWorkers({ store, clock: systemClock, keys, sms: smsAdapterFor(config.sms, app.log), email, log: app.log, publicUrl: () => config.publicUrl });
  let demo: { stop(): Promise<void> } | undefined;
  let closing = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await demo?.stop();
    await app.close();
    await workers.stop();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`billmanager on ${config.publicUrl} (database: ${store.engine}); API reference at ${config.publicUrl}/docs`);
  // The demo needs the server up: the simulator calls our URLs as soon as they are registered.
  if (opts.demo) demo = await startDemo({ store, clock: systemClock, actor: { type: 'cli', id: 'demo' } }, keys, config, app.log);
}

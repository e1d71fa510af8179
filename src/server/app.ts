/**
 * The HTTP server: one Fastify instance, each face a plugin that registers its routes and its own
 * error shape. Route schemas validate input, and the same schemas produce /openapi.json and /docs.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config.js';
import { systemClock, type Clock } from '../domain/clock.js';
import { newId } from '../domain/ids.js';
import type { Store } from '../storage/database.js';
import type { KeyRing } from '../security/secret-box.js';
import { healthRoutes } from '../faces/health/routes.js';
import { nativeApi } from '../faces/native/plugin.js';
import { payablesApi } from '../faces/payables/plugin.js';
import { billManagerFace } from '../faces/billmanager/plugin.js';
import { mpesaApi } from '../faces/mpesa/plugin.js';
import { webPages } from '../faces/web/plugin.js';
import { pesapalRoutes } from '../faces/pesapal/plugin.js';
import { momoRoutes } from '../faces/momo/plugin.js';
import { notifyCallbacks } from '../faces/notify-callbacks.js';
import { notificationSettingsRoutes } from '../faces/settings/notifications.js';
import { registerPaymentPush } from '../services/billmanager/payment-push.js';
import { registerMomoHooks } from '../services/momo/momo-hooks.js';
import { nativeErrorHandler } from './native-errors.js';

export interface AppDeps {
  store: Store;
  config: Config;
  /** Seals secrets at rest (rail credentials); from BILLMANAGER_DATA_KEYS or a generated key file. */
  keys: KeyRing;
  clock?: Clock;
  /** false silences request logs (tests); a pino level otherwise. */
  logLevel?: string | false;
}

export interface Services {
  store: Store;
  clock: Clock;
  config: Config;
  keys: KeyRing;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const level = deps.logLevel ?? deps.config.logLevel;
  const app = Fastify({
    logger: level === false ? false : { level, redact: ['req.headers.authorization'] },
    bodyLimit: BODY_LIMIT_BYTES,
    // A caller's X-Request-Id is kept so their logs and ours line up; otherwise we mint one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : newId('req');
    },
    ajv: {
      // Unknown fields are an error, not silently dropped; "12" is not a number.
      customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false, useDefaults: true },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('services', { store: deps.store, clock: deps.clock ?? systemClock, config: deps.config, keys: deps.keys });
  app.addHook('onSend', async (request, reply) => { reply.header('x-request-id', request.id); });
  app.setErrorHandler(nativeErrorHandler);
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}`, code: 'not_found' }));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'billmanager', version: '0.1.0', description: 'Self-hosted billing and collections: native admin and checkout API, Bill Manager face, payables.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(nativeApi, { prefix: '/api' });
  await app.register(mpesaApi, { prefix: '/api' });
  await app.register(pesapalRoutes, { prefix: '/api' });
  await app.register(momoRoutes, { prefix: '/api' });
  await app.register(notifyCallbacks, { prefix: '/api' });
  await app.register(notificationSettingsRoutes, { prefix: '/api' });
  await app.register(payablesApi, { prefix: '/v1' });
  await app.register(billManagerFace);
  await app.register(webPages);
  registerPaymentPush();
  registerMomoHooks();
  return app;
}

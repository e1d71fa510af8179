/** Tenants and their credentials: the platform operator creates businesses; a business's admin mints tokens and apps. */
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from 'typebox';
import { createBusiness } from '../../services/businesses/create-business.js';
import { getBusiness } from '../../services/businesses/get-business.js';
import { createApiToken } from '../../services/auth/api-tokens.js';
import { createApp } from '../../services/auth/apps.js';
import { businessOf, requestCtx, requirePlatform, requireRole } from './auth.js';

const CreateBusinessBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  currency: Type.Optional(Type.String({ maxLength: 3 })),
  timezone: Type.Optional(Type.String({ maxLength: 64 })),
  country: Type.Optional(Type.String({ maxLength: 2 })),
  language: Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('sw')])),
  shortcode: Type.Optional(Type.String({ maxLength: 7 })),
  shortcode_type: Type.Optional(Type.Union([Type.Literal('paybill'), Type.Literal('till')])),
}, { additionalProperties: false });

const CreateTokenBody = Type.Object({ role: Type.Union([Type.Literal('admin'), Type.Literal('staff')]), name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });

export async function businessRoutes(app: FastifyInstance): Promise<void> {
  const security = [{ bearer: [] }];
  app.post('/admin/businesses', { preHandler: requirePlatform, schema: { tags: ['businesses'], summary: 'Create a business (platform operator token only)', body: CreateBusinessBody, security } },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateBusinessBody>;
      const business = await createBusiness(requestCtx(request), {
        name: body.name, currency: body.currency, timezone: body.timezone, country: body.country, language: body.language,
        shortcode: body.shortcode, shortcodeKind: body.shortcode_type,
      });
      return reply.status(201).send(business);
    });
  app.get('/admin/business', { preHandler: requireRole('admin', 'staff'), schema: { tags: ['businesses'], summary: 'The business this token acts for', security } },
    async (request) => getBusiness(request.server.services.store.db, businessOf(request)));
  app.post('/admin/tokens', { preHandler: requireRole('admin'), schema: { tags: ['businesses'], summary: 'Mint an API token for this business (shown once)', body: CreateTokenBody, security } },
    async (request, reply) => {
      const body = request.body as Static<typeof CreateTokenBody>;
      return reply.status(201).send(await createApiToken(requestCtx(request), { businessId: businessOf(request), role: body.role, name: body.name }));
    });
  app.post('/admin/apps', { preHandler: requireRole('admin'), schema: { tags: ['businesses'], summary: 'Create Daraja-style consumer key and secret for the Bill Manager face (secret shown once)', security } },
    async (request, reply) => {
      const created = await createApp(requestCtx(request), { businessId: businessOf(request) });
      return reply.status(201).send({ id: created.id, consumer_key: created.consumerKey, consumer_secret: created.consumerSecret });
    });
}

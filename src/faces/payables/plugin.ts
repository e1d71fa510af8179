/** The payables API under /v1 (seed 004). */
import type { FastifyInstance } from 'fastify';

export async function payablesApi(_app: FastifyInstance): Promise<void> {}

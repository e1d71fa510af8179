/** The audit trail: who (token, user, app, job) changed what, when, from which request. */
import { newId } from '../domain/ids.js';
import { insertPrepared } from '../storage/prepared-query.js';
import type { Ctx } from './context.js';
import type { Q } from './tx.js';

export interface AuditEvent {
  businessId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
}

export async function recordAudit(q: Q, ctx: Ctx, event: AuditEvent): Promise<void> {
  await insertPrepared(q, 'audit_log', [{
    id: newId('aud'),
    business_id: event.businessId,
    actor_type: ctx.actor.type,
    actor_id: ctx.actor.id,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId,
    request_id: ctx.actor.requestId ?? null,
    data_json: JSON.stringify(event.data ?? {}),
    created_at: ctx.clock.now().toISOString(),
  }]);
}

export async function auditTrail(q: Q, businessId: string, entityType: string, entityId: string) {
  return q.selectFrom('audit_log').selectAll()
    .where('business_id', '=', businessId).where('entity_type', '=', entityType).where('entity_id', '=', entityId)
    .orderBy('id').execute();
}

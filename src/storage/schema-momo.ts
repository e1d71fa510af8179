/** Tables of the MTN MoMo rail, merged into the one Database interface in schema.ts. */
export interface MomoSettingsTable {
  business_id: string;
  subscription_key_sealed: string;
  api_user: string;
  api_key_sealed: string;
  target_environment: string;
  base_url: string;
  currency: string;
  ussd_prefix: string;
  payee_msisdn: string | null;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/**
 * One MoMo invoice or request-to-pay. `id` is the X-Reference-Id we sent MTN, chosen before the
 * first call so a retried create is the same request. `live_slot` is 'live' while the request can
 * still be paid and NULL after: a unique index on (invoice_id, kind, live_slot) allows one live
 * MoMo invoice per invoice whatever the races.
 */
export interface MomoRequestsTable {
  id: string;
  business_id: string;
  invoice_id: string;
  kind: string;
  status: string;
  live_slot: string | null;
  currency: string;
  amount_minor: number;
  payer_msisdn: string | null;
  payment_reference: string | null;
  momo_status: string | null;
  reason: string | null;
  expires_at: string;
  next_poll_at: string;
  polls: number;
  cancel_requested_at: string | null;
  payment_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface MomoTables {
  momo_settings: MomoSettingsTable;
  momo_requests: MomoRequestsTable;
}

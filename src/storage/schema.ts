/**
 * The database schema as one TypeScript interface: every query is checked against it.
 * Conventions, the same on SQLite and PostgreSQL: ids are prefixed text, money is a bigint count
 * of minor units (`*_minor`), timestamps are ISO-8601 UTC text (`*_at`), calendar dates are
 * `YYYY-MM-DD` text (`*_date`), JSON is text, booleans are 0/1 integers. Every tenant-owned table
 * carries `business_id` (a structural test checks it).
 */
import type { Insertable, Selectable, Updateable } from 'kysely';
import type { BillManagerTables } from './schema-billmanager.js';
import type { MomoTables } from './schema-momo.js';
import type { MpesaTables } from './schema-mpesa.js';
import type { PayablesTables } from './schema-payables.js';

export interface BusinessesTable {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  country: string;
  language: string;
  settings_json: string;
  created_at: string;
  updated_at: string;
}

export interface ShortcodesTable {
  id: string;
  business_id: string;
  shortcode: string;
  kind: string;
  created_at: string;
}

export interface AccountsTable {
  id: string;
  business_id: string;
  code: string;
  name: string;
  type: string;
  system_key: string | null;
  active: number;
  created_at: string;
}

export interface CustomersTable {
  id: string;
  business_id: string;
  account_ref: string;
  account_ref_key: string;
  name: string;
  phone: string | null;
  phone_key: string | null;
  email: string | null;
  language: string | null;
  created_at: string;
  updated_at: string;
}

export interface InvoicesTable {
  id: string;
  business_id: string;
  customer_id: string;
  number: string;
  public_token: string;
  external_ref: string | null;
  external_ref_key: string | null;
  shortcode: string | null;
  source: string;
  status: string;
  currency: string;
  name: string;
  billed_period: string | null;
  notes: string | null;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  issue_date: string;
  due_date: string;
  issued_at: string | null;
  paid_at: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

export interface InvoiceItemsTable {
  id: string;
  business_id: string;
  invoice_id: string;
  position: number;
  product_id: string | null;
  sku: string | null;
  name: string;
  quantity: number;
  unit_price_minor: number;
  tax_rate_bps: number;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  variant_info: string | null;
  created_at: string;
  removed_at: string | null;
}

export interface PaymentsTable {
  id: string;
  business_id: string;
  rail: string;
  provider_ref: string;
  currency: string;
  amount_minor: number;
  customer_id: string | null;
  target_invoice_id: string | null;
  payer_phone: string | null;
  payer_name: string | null;
  account_ref_raw: string | null;
  shortcode: string | null;
  match_rule: string | null;
  received_at: string;
  raw_payload: string | null;
  created_at: string;
}

export interface AllocationsTable {
  id: string;
  business_id: string;
  payment_id: string;
  invoice_id: string;
  customer_id: string;
  amount_minor: number;
  reverses_allocation_id: string | null;
  journal_entry_id: string;
  created_at: string;
}

export interface RefundsTable {
  id: string;
  business_id: string;
  payment_id: string;
  amount_minor: number;
  reason: string;
  journal_entry_id: string;
  created_at: string;
}

export interface JournalEntriesTable {
  id: string;
  business_id: string;
  currency: string;
  kind: string;
  memo: string;
  invoice_id: string | null;
  payment_id: string | null;
  reverses_entry_id: string | null;
  actor: string;
  request_id: string | null;
  created_at: string;
}

export interface JournalLinesTable {
  id: string;
  business_id: string;
  entry_id: string;
  account_id: string;
  customer_id: string | null;
  debit_minor: number;
  credit_minor: number;
}

export interface AuditLogTable {
  id: string;
  business_id: string | null;
  actor_type: string;
  actor_id: string;
  action: string;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
  data_json: string;
  created_at: string;
}

export interface ApiTokensTable {
  id: string;
  business_id: string | null;
  role: string;
  name: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface AppsTable {
  id: string;
  business_id: string;
  name: string;
  consumer_key: string;
  secret_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SequencesTable {
  business_id: string;
  name: string;
  next_value: number;
}

export interface IdempotencyKeysTable {
  id: string;
  business_id: string;
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_json: string;
  created_at: string;
}


export interface OutboxMessagesTable {
  id: string;
  business_id: string;
  channel: string;
  kind: string;
  dedupe_key: string;
  recipient: string;
  payload_json: string;
  status: string;
  attempts: number;
  attempts_max: number;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  provider_message_id: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface OutboxAttemptsTable {
  id: string;
  business_id: string;
  message_id: string;
  attempt: number;
  worker: string;
  outcome: string;
  detail: string | null;
  started_at: string;
  finished_at: string;
}

export interface SmsDeliveryReportsTable {
  id: string;
  business_id: string | null;
  message_id: string | null;
  provider_message_id: string;
  status: string;
  final: number;
  phone: string | null;
  network_code: string | null;
  failure_reason: string | null;
  retry_count: number | null;
  received_at: string;
}

export interface NotificationSettingsTable {
  business_id: string;
  sms_provider: string | null;
  at_username: string | null;
  at_api_key_sealed: string | null;
  at_sender_id: string | null;
  at_base_url: string | null;
  smtp_url_sealed: string | null;
  mail_from: string | null;
  reminder_hour: number;
  updated_at: string;
}

export interface ProductsTable {
  id: string;
  business_id: string;
  sku: string;
  name: string;
  currency: string;
  unit_price_minor: number;
  tax_rate_bps: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface TaxRatesTable {
  id: string;
  business_id: string;
  name: string;
  rate_bps: number;
  active: number;
  created_at: string;
}

export interface CodTransactionsTable {
  id: string;
  business_id: string;
  invoice_id: string;
  amount_minor: number;
  code_hash: string;
  status: string;
  failed_attempts: number;
  collector: string | null;
  agent_id: string | null;
  notes: string | null;
  payment_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface PesapalSettingsTable {
  business_id: string;
  consumer_key: string;
  consumer_secret_sealed: string;
  base_url: string;
  ipn_id: string;
  updated_at: string;
}

export interface PesapalOrdersTable {
  id: string;
  business_id: string;
  invoice_id: string;
  tracking_id: string;
  currency: string;
  amount_minor: number;
  status: string;
  confirmation_code: string | null;
  payment_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database extends PayablesTables, BillManagerTables, MpesaTables, MomoTables {
  outbox_messages: OutboxMessagesTable;
  outbox_attempts: OutboxAttemptsTable;
  sms_delivery_reports: SmsDeliveryReportsTable;
  notification_settings: NotificationSettingsTable;
  products: ProductsTable;
  tax_rates: TaxRatesTable;
  cod_transactions: CodTransactionsTable;
  pesapal_settings: PesapalSettingsTable;
  pesapal_orders: PesapalOrdersTable;
  businesses: BusinessesTable;
  shortcodes: ShortcodesTable;
  accounts: AccountsTable;
  customers: CustomersTable;
  invoices: InvoicesTable;
  invoice_items: InvoiceItemsTable;
  payments: PaymentsTable;
  allocations: AllocationsTable;
  refunds: RefundsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  apps: AppsTable;
  sequences: SequencesTable;
  idempotency_keys: IdempotencyKeysTable;
}

export type BusinessRow = Selectable<BusinessesTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type InvoiceRow = Selectable<InvoicesTable>;
export type InvoiceItemRow = Selectable<InvoiceItemsTable>;
export type PaymentRow = Selectable<PaymentsTable>;
export type AllocationRow = Selectable<AllocationsTable>;
export type AccountRow = Selectable<AccountsTable>;
export type NewInvoiceItem = Insertable<InvoiceItemsTable>;
export type InvoiceUpdate = Updateable<InvoicesTable>;
export type OutboxMessageRow = Selectable<OutboxMessagesTable>;

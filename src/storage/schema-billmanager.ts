/** Tables of the Bill Manager face, merged into the one Database interface in schema.ts. */
export interface DarajaTokensTable {
  id: string;
  business_id: string;
  app_id: string;
  token_hash: string;
  expires_at: string;
  created_at: string;
}

export interface BillManagerOptinsTable {
  id: string;
  business_id: string;
  shortcode: string;
  app_key: string;
  email: string;
  official_contact: string;
  send_reminders: number;
  logo_jpeg_base64: string | null;
  callback_url: string;
  webhook_secret: string;
  created_at: string;
  updated_at: string;
}

export interface BillManagerInvoicesTable {
  invoice_id: string;
  business_id: string;
  shortcode: string;
  external_ref: string;
  request_hash: string;
  created_at: string;
}

export interface BillManagerAcksTable {
  id: string;
  business_id: string;
  payment_id: string;
  external_ref: string | null;
  payload_json: string;
  created_at: string;
}

export interface BillManagerTables {
  daraja_tokens: DarajaTokensTable;
  billmanager_optins: BillManagerOptinsTable;
  billmanager_invoices: BillManagerInvoicesTable;
  billmanager_acks: BillManagerAcksTable;
}

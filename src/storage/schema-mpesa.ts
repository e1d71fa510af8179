/** Tables of the M-PESA rail, merged into the one Database interface in schema.ts. */
export interface MpesaSettingsTable {
  business_id: string;
  shortcode: string;
  shortcode_type: string;
  consumer_key: string;
  consumer_secret_sealed: string;
  passkey_sealed: string | null;
  environment: string;
  base_url: string;
  response_type: string;
  reject_unknown_accounts: number;
  allow_prepayment: number;
  allowed_ips_json: string;
  callback_secret_hash: string | null;
  created_at: string;
  updated_at: string;
}

export interface StkRequestsTable {
  id: string;
  business_id: string;
  invoice_id: string;
  checkout_request_id: string;
  merchant_request_id: string;
  phone: string;
  amount_minor: number;
  status: string;
  result_code: number | null;
  result_desc: string | null;
  receipt: string | null;
  payment_id: string | null;
  callback_token_hash: string;
  created_at: string;
  updated_at: string;
}

export interface MpesaCallbacksTable {
  id: string;
  business_id: string | null;
  kind: string;
  outcome: string;
  remote_ip: string | null;
  body: string;
  created_at: string;
}

export interface MpesaTables {
  mpesa_settings: MpesaSettingsTable;
  stk_requests: StkRequestsTable;
  mpesa_callbacks: MpesaCallbacksTable;
}

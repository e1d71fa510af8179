/** Tables of the payables module (seed 004), merged into the one Database interface in schema.ts. */
export interface SuppliersTable {
  id: string;
  business_id: string;
  name_sealed: string;
  phone_sealed: string | null;
  email_sealed: string | null;
  tax_id_sealed: string | null;
  bank_details_sealed: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface BillsTable {
  id: string;
  business_id: string;
  supplier_id: string;
  number: string;
  reference: string | null;
  currency: string;
  bill_date: string;
  due_date: string;
  vat_rate_bps: number;
  subtotal_minor: number;
  vat_minor: number;
  total_minor: number;
  status: string;
  notes: string | null;
  void_reason: string | null;
  journal_entry_id: string;
  created_at: string;
  updated_at: string;
  voided_at: string | null;
}

export interface BillLinesTable {
  id: string;
  business_id: string;
  bill_id: string;
  position: number;
  description: string;
  quantity: number;
  unit_price_minor: number;
  account_id: string;
  subtotal_minor: number;
  vat_minor: number;
  superseded_at: string | null;
}

export interface BillPaymentsTable {
  id: string;
  business_id: string;
  bill_id: string;
  amount_minor: number;
  wht_rate_bps: number;
  wht_minor: number;
  payment_date: string;
  payment_method: string;
  reference: string | null;
  notes: string | null;
  journal_entry_id: string;
  created_at: string;
}

export interface PayablesTables {
  suppliers: SuppliersTable;
  bills: BillsTable;
  bill_lines: BillLinesTable;
  bill_payments: BillPaymentsTable;
}

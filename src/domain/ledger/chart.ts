/**
 * The default chart of accounts every business starts with. System keys name the accounts the
 * platform posts to; codes follow a common numbering (1xxx assets, 2xxx liabilities, 3xxx equity,
 * 4xxx income, 5xxx expenses). WHT provision 2022 and WHT payable 2027 are fixed by seed 004.
 */
export type AccountType = 'asset' | 'liability' | 'equity' | 'income' | 'expense';

export const SYSTEM_ACCOUNTS = {
  cash: { code: '1000', name: 'Cash on hand', type: 'asset' },
  agent_cash: { code: '1005', name: 'Cash held by delivery agents', type: 'asset' },
  bank: { code: '1010', name: 'Bank', type: 'asset' },
  mpesa_clearing: { code: '1020', name: 'M-PESA clearing', type: 'asset' },
  momo_clearing: { code: '1021', name: 'MTN MoMo clearing', type: 'asset' },
  card_clearing: { code: '1030', name: 'Card clearing (Pesapal)', type: 'asset' },
  accounts_receivable: { code: '1100', name: 'Accounts receivable', type: 'asset' },
  vat_input: { code: '1150', name: 'VAT input', type: 'asset' },
  accounts_payable: { code: '2000', name: 'Accounts payable', type: 'liability' },
  customer_credit: { code: '2010', name: 'Customer credit (unapplied payments)', type: 'liability' },
  suspense: { code: '2020', name: 'Suspense (unmatched payments)', type: 'liability' },
  wht_provision: { code: '2022', name: 'WHT provision', type: 'liability' },
  wht_payable: { code: '2027', name: 'WHT payable', type: 'liability' },
  vat_output: { code: '2100', name: 'VAT output', type: 'liability' },
  owner_equity: { code: '3000', name: "Owner's equity", type: 'equity' },
  sales: { code: '4000', name: 'Sales', type: 'income' },
  general_expense: { code: '5000', name: 'General expenses', type: 'expense' },
  cost_of_sales: { code: '5100', name: 'Cost of sales', type: 'expense' },
  rent_expense: { code: '5200', name: 'Rent', type: 'expense' },
  utilities_expense: { code: '5300', name: 'Utilities', type: 'expense' },
} as const satisfies Record<string, { code: string; name: string; type: AccountType }>;

export type SystemAccountKey = keyof typeof SYSTEM_ACCOUNTS;

/** Where money received on each rail sits until it is settled to the bank. */
export const CLEARING_ACCOUNT_BY_RAIL: Record<string, SystemAccountKey> = {
  mpesa_c2b: 'mpesa_clearing',
  mpesa_stk: 'mpesa_clearing',
  billmanager: 'mpesa_clearing',
  momo: 'momo_clearing',
  pesapal: 'card_clearing',
  cod: 'agent_cash',
  cash: 'cash',
  bank_transfer: 'bank',
};

export const RAILS = Object.keys(CLEARING_ACCOUNT_BY_RAIL);

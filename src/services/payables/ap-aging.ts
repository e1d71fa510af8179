/** Accounts-payable aging: what is owed per supplier by days past due (current, 1–30, 31–60, 61–90, 90+). */
import { localDate } from '../../domain/clock.js';
import type { KeyRing } from '../../security/secret-box.js';
import type { Q } from '../tx.js';
import { supplierOf } from './suppliers.js';

export const BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_90_plus'] as const;
type Bucket = (typeof BUCKETS)[number];

function bucketOf(dueDate: string, today: string): Bucket {
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000);
  if (days <= 0) return 'current';
  if (days <= 30) return 'days_1_30';
  if (days <= 60) return 'days_31_60';
  if (days <= 90) return 'days_61_90';
  return 'days_90_plus';
}

export async function apAging(q: Q, keys: KeyRing, businessId: string, timezone: string, now: Date) {
  const today = localDate(now, timezone);
  const bills = await q.selectFrom('bills')
    .select((eb) => ['bills.id', 'bills.supplier_id', 'bills.due_date', 'bills.total_minor', 'bills.currency',
      eb.selectFrom('bill_payments').select((e) => e.fn.coalesce(e.fn.sum<number>('amount_minor'), e.lit(0)).as('s')).whereRef('bill_payments.bill_id', '=', 'bills.id').as('paid')])
    .where('business_id', '=', businessId).where('status', 'in', ['unpaid', 'partial']).execute();
  const empty = (): Record<Bucket, number> => Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Record<Bucket, number>;
  const bySupplier = new Map<string, Record<Bucket, number>>();
  const total = empty();
  for (const bill of bills) {
    const due = Number(bill.total_minor) - Number(bill.paid ?? 0);
    if (due <= 0) continue;
    const bucket = bucketOf(bill.due_date, today);
    const row = bySupplier.get(bill.supplier_id) ?? empty();
    row[bucket] += due;
    total[bucket] += due;
    bySupplier.set(bill.supplier_id, row);
  }
  const suppliers = bySupplier.size ? await q.selectFrom('suppliers').selectAll().where('id', 'in', [...bySupplier.keys()]).execute() : [];
  return {
    asOf: today,
    suppliers: suppliers.map((s) => ({ supplierId: s.id, name: supplierOf(keys, s).name, ...bySupplier.get(s.id)!, totalKobo: BUCKETS.reduce((sum, b) => sum + bySupplier.get(s.id)![b], 0) })),
    total: { ...total, totalKobo: BUCKETS.reduce((sum, b) => sum + total[b], 0) },
  };
}

export function toCsv(header: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number): string => (typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

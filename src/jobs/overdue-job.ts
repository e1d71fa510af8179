/** Marks invoices overdue across every business; safe to run from several processes (one guarded UPDATE each). */
import { systemActor, type Ctx } from '../services/context.js';
import { markOverdueInvoices } from '../services/invoices/mark-overdue.js';

export async function runOverdueJob(ctx: Ctx): Promise<number> {
  const businesses = await ctx.store.db.selectFrom('businesses').select('id').execute();
  let marked = 0;
  for (const business of businesses) marked += (await markOverdueInvoices({ ...ctx, actor: systemActor('overdue-job') }, business.id)).length;
  return marked;
}

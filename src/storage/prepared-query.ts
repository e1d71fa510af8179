/**
 * Queries built and compiled once per database, then run with fresh values. On the hot paths (a
 * payment from a rail runs about fifteen statements) Kysely's building and compiling cost more
 * than SQLite takes to run the statement, and handing over the very same SQL string lets the
 * statement cache find it without hashing a new one. The builder is type-checked like any query;
 * its arguments are placeholders while it is compiled, so they may only be values, never shape
 * the SQL (an `in` list, a null test, a column name): compiling checks every one became a parameter.
 */
import type { Compilable, CompiledQuery, Insertable, Kysely, QueryResult, RootOperationNode } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

const PLACEHOLDER = '\u0000arg\u0000';
/** Multi-row inserts up to this many rows are kept compiled; longer ones are rare and amortise their own compiling. */
export const PREPARED_INSERT_ROWS_MAX = 8;

interface Template {
  readonly sql: string;
  readonly query: RootOperationNode;
  readonly queryId: CompiledQuery['queryId'];
  /** For each bound parameter, the argument it takes (row index, key) or the constant it keeps. */
  readonly slots: ReadonlyArray<{ row: number; key: string } | { value: unknown }>;
  readonly keyCount: number;
}

function placeholder(row: number, key: string): string {
  return `${PLACEHOLDER}${row}\u0000${key}`;
}

function compileTemplate(compiled: CompiledQuery, keyCount: number, rowCount: number): Template {
  const seen = new Set<string>();
  const slots = compiled.parameters.map((value) => {
    if (typeof value !== 'string' || !value.startsWith(PLACEHOLDER)) return { value };
    seen.add(value);
    const rest = value.slice(PLACEHOLDER.length);
    const cut = rest.indexOf('\u0000');
    return { row: Number(rest.slice(0, cut)), key: rest.slice(cut + 1) };
  });
  if (seen.size !== keyCount * rowCount) throw new Error(`prepared query: an argument shaped the SQL instead of binding a value (${compiled.sql})`);
  return { sql: compiled.sql, query: compiled.query, queryId: compiled.queryId, slots, keyCount };
}

function keyCount(row: Record<string, unknown>): number {
  let count = 0;
  for (const key in row) if (Object.hasOwn(row, key)) count++;
  return count;
}

/** `shapeChecked`: the caller already knows the rows have exactly the compiled keys. */
function bind<O>(template: Template, rows: ReadonlyArray<Record<string, unknown>>, shapeChecked = false): CompiledQuery<O> {
  if (!shapeChecked) {
    for (const row of rows) {
      if (keyCount(row) !== template.keyCount) throw new Error(`prepared query: arguments differ from those it was compiled with (${template.sql})`);
    }
  }
  const parameters = template.slots.map((slot) => {
    if ('value' in slot) return slot.value;
    const value = rows[slot.row]![slot.key];
    if (value === undefined) throw new Error(`prepared query: no value for ${slot.key} (${template.sql})`);
    return value;
  });
  return { sql: template.sql, parameters, query: template.query, queryId: template.queryId };
}

/** The compiled SQL differs by dialect, so templates are kept per database (its transactions share its adapter). */
function templatesOf<K>(cache: WeakMap<object, Map<K, Template>>, q: Db): Map<K, Template> {
  const adapter = q.getExecutor().adapter;
  let templates = cache.get(adapter);
  if (!templates) {
    templates = new Map();
    cache.set(adapter, templates);
  }
  return templates;
}

/**
 * Runs a compiled query on the connection the database (or transaction) provides. Without plugins
 * there is no result to transform, so the query goes straight to the connection, skipping a layer
 * of promises per statement that Kysely's executeQuery adds.
 */
function execute<O>(q: Db, compiled: CompiledQuery<O>): Promise<QueryResult<O>> {
  const executor = q.getExecutor();
  if (executor.plugins.length > 0) return q.executeQuery(compiled);
  return executor.provideConnection((connection) => connection.executeQuery<O>(compiled));
}

export interface PreparedQuery<A extends Record<string, unknown>, O> {
  /** Every row the query returns. */
  all(q: Db, args: A): Promise<O[]>;
  /** The first row, if any. */
  first(q: Db, args: A): Promise<O | undefined>;
  /** Runs it for its effect (insert, update); the number of rows it changed. */
  run(q: Db, args: A): Promise<number>;
}

export function preparedQuery<A extends Record<string, unknown>, O>(build: (db: Db, args: A) => Compilable<O>): PreparedQuery<A, O> {
  const cache = new WeakMap<object, Map<0, Template>>();
  const compiled = (q: Db, args: A): CompiledQuery<O> => {
    const templates = templatesOf(cache, q);
    let template = templates.get(0);
    if (!template) {
      const keys = Object.keys(args);
      const placeholders = Object.fromEntries(keys.map((key) => [key, placeholder(0, key)])) as A;
      template = compileTemplate(build(q, placeholders).compile(), keys.length, 1);
      templates.set(0, template);
    }
    return bind<O>(template, [args]);
  };
  return {
    all: async (q, args) => (await execute(q, compiled(q, args))).rows,
    first: async (q, args) => (await execute(q, compiled(q, args))).rows[0],
    run: async (q, args) => Number((await execute(q, compiled(q, args))).numAffectedRows ?? 0),
  };
}

function hasExactly(row: Record<string, unknown>, keys: string[]): boolean {
  return Object.keys(row).length === keys.length && keys.every((key) => row[key] !== undefined);
}

const insertTemplates = new WeakMap<object, Map<string, Template>>();

/**
 * Inserts a few rows in one statement, compiled once per table, row count and columns. Rows must
 * all have the same keys (as Kysely requires for one statement anyway).
 */
export async function insertPrepared<T extends keyof Database & string>(q: Db, table: T, rows: ReadonlyArray<Insertable<Database[T]>>): Promise<void> {
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0] as object);
  // Rows of other keys, or an undefined value (Kysely leaves it to the column default), make another
  // statement; so do long lists. Those go through Kysely as they are.
  if (rows.length > PREPARED_INSERT_ROWS_MAX || !rows.every((row) => hasExactly(row as Record<string, unknown>, keys))) {
    await q.insertInto(table).values(rows as never).execute();
    return;
  }
  const templates = templatesOf(insertTemplates, q);
  const id = `${table}\u0000${rows.length}\u0000${keys.join(',')}`;
  let template = templates.get(id);
  if (!template) {
    const placeholders = rows.map((_, row) => Object.fromEntries(keys.map((key) => [key, placeholder(row, key)])));
    // Kysely cannot relate a generic table name to its row type; the signature above already checked it.
    template = compileTemplate(q.insertInto(table).values(placeholders as never).compile(), keys.length, rows.length);
    templates.set(id, template);
  }
  await execute(q, bind(template, rows as ReadonlyArray<Record<string, unknown>>, true));
}

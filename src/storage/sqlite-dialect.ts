/**
 * Kysely's SQLite dialect with two changes: transactions start with BEGIN IMMEDIATE, so a writer
 * takes the write lock up front instead of failing with SQLITE_BUSY halfway through when another
 * process (a CLI command, a second server) writes at the same time; and the store can be told
 * after each commit (to look after the WAL).
 */
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDialectConfig } from 'kysely';

export interface ImmediateSqliteDialectConfig extends SqliteDialectConfig {
  afterCommit?: () => void;
}

class ImmediateSqliteDriver extends SqliteDriver {
  readonly #afterCommit: (() => void) | undefined;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#afterCommit = config.afterCommit;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await super.commitTransaction(connection);
    this.#afterCommit?.();
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ImmediateSqliteDialectConfig;

  constructor(config: ImmediateSqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

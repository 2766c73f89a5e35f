// The event store on PostgreSQL: the same store (SqliteEventStore.ts) and migrations over a
// @effect/sql-pg client. Loaded only when `[database] url` or ORCHESTRATOR_DATABASE_URL names a
// server (sqlite.ts imports this file dynamically), so single-machine start-up never loads it.
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Cause, Duration, Effect, Layer, Redacted } from "effect"
import { getTypeParser } from "pg-types"
import type { DatabaseSettings } from "../../../domain/config.js"
import { StoreError } from "../../../domain/errors.js"
import { StoreNewer } from "../../../domain/storeErrors.js"
import { runMigrations } from "../migrations.js"
import { latestMigrationId, migrationsTable } from "../sessionsQuery.js"
import { EventStoreLive } from "../SqliteEventStore.js"
import { messageOf } from "../storeFile.js"

const INT8 = 20
const CONNECT_TIMEOUT = Duration.seconds(10)

/**
 * BIGINT columns (times in ms, sequence numbers, counts) as numbers, as SQLite gives them: every one
 * the store keeps is far below 2^53. Other types keep the driver's parsers.
 */
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    format === "binary" ? getTypeParser(oid, "binary") : oid === INT8 ? (value: string) => Number(value) : getTypeParser(oid, "text")
}

/** The URL without its password, for messages: `postgres://user@host:port/db`. */
export const describeDatabaseUrl = (url: Redacted.Redacted<string>): string => {
  try {
    const parsed = new URL(Redacted.value(url))
    parsed.password = ""
    return parsed.toString()
  } catch {
    return "the configured PostgreSQL URL (not a valid URL)"
  }
}

const failure = (operation: string) => (cause: Cause.Cause<unknown>) => {
  const error = Cause.squash(cause)
  if (error instanceof StoreError || error instanceof StoreNewer) return error
  const inner = error instanceof Error && "cause" in error && error.cause instanceof Error ? `: ${error.cause.message}` : ""
  return new StoreError({ operation, detail: messageOf(error) + inner })
}

/**
 * Migrated to this build's version; a database a newer build migrated is refused, as a newer SQLite
 * file is. Two processes opening a new database at once would both create the Migrator's table, so
 * the migration runs under a transaction-level advisory lock: the second waits, then finds it done.
 */
const migrated = (where: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`SELECT pg_advisory_xact_lock(hashtext('orchestrator.migrations'))`
    // The Migrator's own table, as it would make it: its probe for the table would abort this transaction.
    yield* sql`CREATE TABLE IF NOT EXISTS ${sql(migrationsTable)} (
      migration_id integer primary key,
      created_at timestamp with time zone not null default now(),
      name text not null
    )`
    const before = yield* sql<{ id: number | null }>`SELECT MAX(migration_id) AS id FROM ${sql(migrationsTable)}`
    const version = before[0]?.id ?? 0
    if (version > latestMigrationId) return yield* new StoreNewer({ path: where, storeVersion: version, knownVersion: latestMigrationId })
    if (version < latestMigrationId) yield* runMigrations
  }).pipe((effect) => Effect.flatMap(SqlClient.SqlClient, (sql) => sql.withTransaction(effect)))

/** A PostgreSQL client on `url`, migrated; a pool of `max_connections` (at least 2, so reads go on beside an append). */
export const makePostgres = (
  url: Redacted.Redacted<string>,
  db: typeof DatabaseSettings.Type
): Layer.Layer<SqlClient.SqlClient, StoreError | StoreNewer> => {
  const where = describeDatabaseUrl(url)
  const client = PgClient.layer({
    url,
    maxConnections: Math.max(2, db.max_connections),
    connectTimeout: CONNECT_TIMEOUT,
    applicationName: "orchestrator",
    types
  }).pipe(Layer.catchAllCause((cause) => Layer.fail(failure(`open ${where}`)(cause))))
  return Layer.effectDiscard(Effect.catchAllCause(migrated(where), (cause) => Effect.fail(failure(`migrate ${where}`)(cause)))).pipe(
    Layer.provideMerge(client)
  )
}

/**
 * A pool on the server with the driver's own parsers and no store migration, for @effect/cluster's
 * SQL storage: its messages and replies are keyed by 64-bit snowflake ids (above 2^53) that it reads
 * from BIGINT columns as the driver's strings. The store's pool above parses BIGINT as Number, which
 * rounds them, so the cluster never shares it (src/layers/cluster/runner.ts checks).
 */
export const clusterPostgres = (url: Redacted.Redacted<string>, maxConnections: number) =>
  PgClient.layer({ url, maxConnections: Math.max(2, maxConnections), connectTimeout: CONNECT_TIMEOUT, applicationName: "orchestrator cluster" }).pipe(
    Layer.catchAllCause((cause) => Layer.fail(failure(`open ${describeDatabaseUrl(url)} for the cluster`)(cause)))
  )

/** The event store on a PostgreSQL database. */
export const eventStoreOnPostgres = (url: Redacted.Redacted<string>, db: typeof DatabaseSettings.Type) =>
  EventStoreLive.pipe(Layer.provide(makePostgres(url, db)))

/**
 * What doctor learns of a server without changing it (no migration): its version, the store's
 * version, who holds the lease, and the runners that joined.
 */
export const inspectPostgres = (url: Redacted.Redacted<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const exists = (table: string) =>
      Effect.map(sql<{ found: string | null }>`SELECT to_regclass(${table})::text AS found`, (rows) => rows[0]?.found !== null && rows[0]?.found !== undefined)
    // "15.18 (Debian 15.18-0+deb12u1)": the number is what matters.
    const server = ((yield* sql<{ server_version: string }>`SHOW server_version`)[0]?.server_version ?? "?").split(" ")[0] ?? "?"
    const version = (yield* exists(migrationsTable))
      ? ((yield* sql<{ id: number | null }>`SELECT MAX(migration_id) AS id FROM ${sql(migrationsTable)}`)[0]?.id ?? 0)
      : 0
    const lease = (yield* exists("store_lease")) ? yield* sql`SELECT pid, host, since FROM store_lease WHERE id = 1` : []
    const runners = (yield* exists("runners")) ? yield* sql`SELECT * FROM runners ORDER BY name` : []
    return { where: describeDatabaseUrl(url), server, version, knownVersion: latestMigrationId, lease, runners }
  }).pipe(
    Effect.provide(PgClient.layer({ url, maxConnections: 1, connectTimeout: CONNECT_TIMEOUT, applicationName: "orchestrator doctor", types })),
    Effect.scoped,
    Effect.catchAllCause((cause) => Effect.fail(failure(`read ${describeDatabaseUrl(url)}`)(cause)))
  )

import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Cause, Duration, Effect, Layer, Option, Schedule } from "effect"
import { mkdirSync } from "node:fs"
import * as NodePath from "node:path"
import type { Settings } from "../../domain/config.js"
import { StoreError } from "../../domain/errors.js"
import { StoreNewer, StoreUnusable } from "../../domain/storeErrors.js"
import { AppConfig } from "../../services/AppConfig.js"
import type { EventStore } from "../../services/EventStore.js"
import { databaseUrl } from "./databaseUrl.js"
import { runMigrations } from "./migrations.js"
import { latestMigrationId, migrationsTable } from "./sessionsQuery.js"
import { EventStoreLive } from "./SqliteEventStore.js"
import { codeOf, inspectStoreFile, messageOf, notADatabase } from "./storeFile.js"

type DatabaseSettings = Settings["database"]

/** What a command does with the store: commands that only read may open a read-only or newer one. */
export type StoreUse = "write" | "read"

/** How to open the store: read-only connections never migrate and never write. */
export interface StoreOpening {
  readonly readOnly: boolean
  /** The store is already at this build's version: no migration to run at opening. */
  readonly current: boolean
  /** One line to show the person (a newer or older store opened only to read). */
  readonly warning: Option.Option<string>
}

const writable: StoreOpening = { readOnly: false, current: false, warning: Option.none() }


/** The library's failure (or defect) at opening, in words naming the file; "not a database" gets advice. */
const openFailure = (filename: string, cause: Cause.Cause<unknown>): StoreError | StoreUnusable => {
  const error = Cause.squash(cause)
  if (error instanceof StoreError || error instanceof StoreUnusable) return error
  const inner = error instanceof Error && "cause" in error ? error.cause : undefined
  if (codeOf(error) === "SQLITE_NOTADB" || codeOf(inner) === "SQLITE_NOTADB") return notADatabase(filename)
  return new StoreError({ operation: `open ${filename}`, detail: messageOf(inner instanceof Error ? inner : error) })
}

/**
 * Decides how a command may open the store, before anything is opened: a newer store is never
 * written, a read-only one is only read, and a directory, a damaged file or a blocked path is refused.
 */
export const openingFor = (path: string, use: StoreUse): Effect.Effect<StoreOpening, StoreUnusable | StoreNewer> =>
  Effect.flatMap(inspectStoreFile(path), (file): Effect.Effect<StoreOpening, StoreUnusable | StoreNewer> => {
    if (file._tag === "Missing") return Effect.succeed(writable)
    const current = file.version === latestMigrationId
    if (file.version > latestMigrationId) {
      const newer = new StoreNewer({ path, storeVersion: file.version, knownVersion: latestMigrationId })
      return use === "write"
        ? Effect.fail(newer)
        : Effect.succeed({
            readOnly: true,
            current: false,
            warning: Option.some(
              `event store ${path} was made by a newer orchestrator (store version ${file.version}, this build knows up to ${latestMigrationId}): reading it only`
            )
          })
    }
    if (!file.readOnly) return Effect.succeed({ ...writable, current })
    if (use === "write") {
      return Effect.fail(
        new StoreUnusable({
          path,
          problem: "is read-only",
          advice: `make it and its directory writable (chmod u+w "${path}") for this command; commands that only read (tickets list, sessions list, sessions show) work as it is`
        })
      )
    }
    return Effect.succeed({
      readOnly: true,
      current,
      warning:
        file.version < latestMigrationId
          ? Option.some(`event store ${path} is read-only and older than this build: some reads may fail until it is opened once writable`)
          : Option.none()
    })
  })

const MIGRATION_POLL = Duration.millis(50)

/**
 * The migrations, until the store is at this build's version. When another process is migrating the
 * same new store, the Migrator takes its busy insert for "already running" and returns at once: the
 * tables are not there until that process commits, so this waits for it, within busy_timeout_ms.
 */
const migrated = (filename: string, busyTimeoutMs: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* runMigrations
    const rows = yield* sql<{ id: number | null }>`SELECT MAX(migration_id) AS id FROM ${sql(migrationsTable)}`
    if ((rows[0]?.id ?? 0) < latestMigrationId) {
      return yield* new StoreError({
        operation: `open ${filename}`,
        detail: `another process was still upgrading the store after ${busyTimeoutMs} ms ([database] busy_timeout_ms): try again`
      })
    }
  }).pipe(
    Effect.retry({
      while: (error) => error._tag === "StoreError",
      schedule: Schedule.spaced(MIGRATION_POLL),
      times: Math.ceil(busyTimeoutMs / Duration.toMillis(MIGRATION_POLL))
    })
  )

/** Pragmas from `[database]`, then the migrations (writable stores only); every failure names the file. */
const prepare = (filename: string, db: DatabaseSettings, opening: StoreOpening) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`PRAGMA busy_timeout = ${db.busy_timeout_ms}`)
    if (opening.readOnly) {
      // Reading needs the schema: a damaged or foreign file fails here, not at the first query.
      yield* sql.unsafe("SELECT count(*) FROM sqlite_master")
      return
    }
    if (db.wal_enabled) yield* sql.unsafe("PRAGMA journal_mode = WAL")
    yield* sql.unsafe(`PRAGMA synchronous = ${db.synchronous}`)
    yield* sql.unsafe("PRAGMA foreign_keys = ON")
    // The version was read before opening (openingFor): a current store skips the Migrator's reads.
    if (!opening.current) yield* migrated(filename, db.busy_timeout_ms)
  }).pipe(Effect.catchAllCause((cause) => Effect.fail(openFailure(filename, cause))))

/** A SQLite client on `filename` (":memory:" for tests), migrated unless opened read-only. */
export const makeSqlite = (
  filename: string,
  db: DatabaseSettings,
  opening: StoreOpening = writable
): Layer.Layer<SqlClient.SqlClient, StoreError | StoreUnusable> => {
  const client = Layer.unwrapEffect(
    Effect.try({
      try: () => {
        if (filename !== ":memory:" && !opening.readOnly) mkdirSync(NodePath.dirname(filename), { recursive: true })
        return SqliteClient.layer({ filename, readonly: opening.readOnly, disableWAL: opening.readOnly || !db.wal_enabled })
      },
      catch: (cause) =>
        new StoreUnusable({
          path: filename,
          problem: `cannot be created: ${messageOf(cause)}`,
          advice: "set event_store_path to a path you can write"
        })
    })
  ).pipe(Layer.catchAllCause((cause) => Layer.fail(openFailure(filename, cause))))
  return Layer.effectDiscard(prepare(filename, db, opening)).pipe(Layer.provideMerge(client))
}

/**
 * The event store on the configured PostgreSQL server (databaseUrl.ts), loaded on demand so SQLite's
 * start-up never loads the driver, or on the configured file, for a command that writes (or only
 * reads); `warn` shows a warning line.
 */
export const eventStoreFor = (
  use: StoreUse,
  warn: (line: string) => Effect.Effect<void> = () => Effect.void
): Layer.Layer<EventStore, StoreError | StoreUnusable | StoreNewer, AppConfig> =>
  Layer.unwrapEffect(
    Effect.gen(function* (): Effect.fn.Return<Layer.Layer<EventStore, StoreError | StoreUnusable | StoreNewer>, StoreUnusable | StoreNewer, AppConfig> {
      const config = yield* AppConfig
      const server = yield* databaseUrl(config.settings.database)
      if (Option.isSome(server)) {
        const { eventStoreOnPostgres } = yield* Effect.promise(() => import("./postgres/postgresStore.js"))
        return eventStoreOnPostgres(server.value, config.settings.database)
      }
      const path = config.settings.event_store_path
      const opening = yield* openingFor(path, use)
      if (Option.isSome(opening.warning)) yield* warn(opening.warning.value)
      return EventStoreLive.pipe(Layer.provide(makeSqlite(path, config.settings.database, opening)))
    })
  )

/** The event store on the configured file, opened to write. */
export const EventStoreFromConfig = eventStoreFor("write")

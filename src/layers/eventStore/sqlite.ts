import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { mkdirSync } from "node:fs"
import * as NodePath from "node:path"
import type { Settings } from "../../domain/config.js"
import { StoreError } from "../../domain/errors.js"
import { AppConfig } from "../../services/AppConfig.js"
import { runMigrations } from "./migrations.js"
import { EventStoreLive } from "./SqliteEventStore.js"

type DatabaseSettings = Settings["database"]

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/** Pragmas from `[database]`, then the migrations; every failure becomes a StoreError naming the file. */
const prepare = (filename: string, db: DatabaseSettings) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`PRAGMA busy_timeout = ${db.busy_timeout_ms}`)
    if (db.wal_enabled) yield* sql.unsafe("PRAGMA journal_mode = WAL")
    yield* sql.unsafe(`PRAGMA synchronous = ${db.synchronous}`)
    yield* sql.unsafe("PRAGMA foreign_keys = ON")
    yield* runMigrations
  }).pipe(
    Effect.mapError((error) => new StoreError({ operation: `open ${filename}`, detail: describe(error) }))
  )

/** A migrated SQLite client on `filename` (":memory:" for tests). */
export const makeSqlite = (filename: string, db: DatabaseSettings): Layer.Layer<SqlClient.SqlClient, StoreError> => {
  const client = Layer.unwrapEffect(
    Effect.try({
      try: () => {
        if (filename !== ":memory:") mkdirSync(NodePath.dirname(filename), { recursive: true })
        return SqliteClient.layer({ filename, disableWAL: !db.wal_enabled })
      },
      catch: (cause) => new StoreError({ operation: `create the directory of ${filename}`, detail: describe(cause) })
    })
  ).pipe(
    Layer.catchAll((error) =>
      Layer.fail(error instanceof StoreError ? error : new StoreError({ operation: `open ${filename}`, detail: describe(error) }))
    )
  )
  return Layer.effectDiscard(prepare(filename, db)).pipe(Layer.provideMerge(client))
}

/** The event store on the configured file. */
export const EventStoreFromConfig = Layer.unwrapEffect(
  Effect.map(AppConfig, (config) =>
    EventStoreLive.pipe(Layer.provide(makeSqlite(config.settings.event_store_path, config.settings.database)))
  )
)

import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Layer, Schema } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { makeSqlite } from "../../../src/layers/eventStore/sqlite.js"
import { EventStoreLive } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { sessionId, startedWork } from "../../support/sampleEvents.js"
import { eventStoreContract, type FreshStore } from "./eventStoreContract.js"

const dbDefaults = Schema.decodeUnknownSync(DatabaseSettings)({})

const withTempDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-store-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

/** A new store file in a temp dir (removed with the test's scope); each handle its own connection. */
const freshSqlite: FreshStore = Effect.map(
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-store-"))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  ),
  (dir) => () => Layer.fresh(Layer.provideMerge(EventStoreLive, makeSqlite(NodePath.join(dir, "events.sqlite"), dbDefaults)))
)

describe("EventStore contract on SQLite", () => {
  eventStoreContract(freshSqlite)
})

describe("SqliteEventStore", () => {
  it.live("a write lock held past busy_timeout_ms is waited out, then reported as such", () =>
    withTempDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "events.sqlite")
        const store = yield* Effect.provide(EventStore, yield* Layer.build(EventStoreLive.pipe(Layer.provide(makeSqlite(file, { ...dbDefaults, busy_timeout_ms: 200 })))))
        const other = new Database(file)
        other.exec("BEGIN IMMEDIATE")
        const started = Date.now()
        const error = yield* Effect.flip(store.append(startedWork(1)))
        const waited = Date.now() - started
        other.exec("ROLLBACK")
        other.close()
        expect(waited).toBeGreaterThanOrEqual(150)
        expect(error.message).toBe(
          "event store: append failed: the store stayed locked by another process for more than 200 ms ([database] busy_timeout_ms): try again, or raise busy_timeout_ms"
        )
        expect((yield* store.append(startedWork(1))).length).toBeGreaterThan(0)
      }).pipe(Effect.scoped)
    )
  )

  it.effect("reopening an existing file runs no migration twice and keeps the data", () =>
    withTempDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "nested", "events.sqlite")
        yield* Effect.flatMap(EventStore, (store) => store.append(startedWork(1))).pipe(Effect.provide(eventStoreOnFile(file)))
        const again = yield* Effect.gen(function* () {
          const store = yield* EventStore
          const sql = yield* SqlClient.SqlClient
          const migrations = yield* sql<{ migration_id: number }>`SELECT migration_id FROM effect_sql_migrations ORDER BY migration_id`
          const journal = yield* sql<{ journal_mode: string }>`PRAGMA journal_mode`
          return { sessions: yield* store.sessions({}), migrations, journal }
        }).pipe(Effect.provide(Layer.provideMerge(EventStoreLive, makeSqlite(file, dbDefaults))))
        expect(again.migrations.map((m) => m.migration_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
        expect(again.sessions.map((s) => s.id)).toEqual([sessionId(1)])
        expect(again.journal[0]?.journal_mode).toBe("wal")
      })
    )
  )

})

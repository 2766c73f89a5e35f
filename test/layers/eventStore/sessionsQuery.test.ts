import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { latestMigrationId, migrationsTable } from "../../../src/layers/eventStore/sessionsQuery.js"
import { makeSqlite } from "../../../src/layers/eventStore/sqlite.js"

describe("sessionsQuery", () => {
  it.effect("latestMigrationId is the last migration the store applies (bump it with a new migration)", () =>
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql.unsafe<{ id: number }>(`SELECT max(migration_id) AS id FROM ${migrationsTable}`)
      expect(rows[0]?.id).toBe(latestMigrationId)
    }).pipe(Effect.provide(makeSqlite(":memory:", { ...Schema.decodeUnknownSync(DatabaseSettings)({}), wal_enabled: false })))
  )
})

import { NodeFileSystem } from "@effect/platform-node"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Layer, Redacted, Schema } from "effect"
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs"
import { hostname, tmpdir } from "node:os"
import * as NodePath from "node:path"
import { DatabaseSettings } from "../../../src/domain/config.js"
import { RunnerRow } from "../../../src/domain/runner.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { eventStoreOnPostgres } from "../../../src/layers/eventStore/postgres/postgresStore.js"
import { eventStoreOnFile } from "../../../src/layers/eventStore/EventStoreTest.js"
import { latestMigrationId } from "../../../src/layers/eventStore/sessionsQuery.js"
import { StoreInspectorLive } from "../../../src/layers/eventStore/StoreInspectorLive.js"
import { storeChecks } from "../../../src/programs/doctor/storeCheck.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { postgresInstalled, startPostgres, type ThrowawayPostgres } from "../../support/postgres.js"

const checksOf = (value: Record<string, unknown>, dir: string) =>
  Effect.flatMap(configFromValue(value, dir), storeChecks).pipe(Effect.provide(Layer.merge(StoreInspectorLive, NodeFileSystem.layer)))

/** The SQLite file's one check. */
const check = (file: string) =>
  Effect.map(checksOf({ event_store_path: file }, NodePath.dirname(file)), (results) => {
    if (results.length !== 1 || results[0] === undefined) throw new Error(`expected one check, got ${JSON.stringify(results)}`)
    return results[0]
  })

const withDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-doctor-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const makeStore = (file: string) => Effect.provide(Effect.asVoid(EventStore), eventStoreOnFile(file))

/** Overwrites part of an index's root page, as a disk fault would: the file still opens, SQLite's check finds it. */
const damageAnIndex = (file: string) => {
  const db = new Database(file)
  db.exec("PRAGMA journal_mode = DELETE; CREATE TABLE filler (a TEXT); CREATE INDEX filler_a ON filler (a)")
  const insert = db.prepare("INSERT INTO filler VALUES (?)")
  for (let i = 0; i < 2000; i++) insert.run(`row ${i}`)
  const root = Number(db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'filler_a'").pluck().get())
  const pageSize = Number(db.pragma("page_size", { simple: true }))
  db.close()
  const fd = openSync(file, "r+")
  writeSync(fd, Buffer.alloc(200, 0x41), 0, 200, (root - 1) * pageSize + 20)
  closeSync(fd)
}

describe("doctor's store check", () => {
  it.effect("a sound store: its version and SQLite's quick_check, and the run that owns it", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const file = NodePath.join(dir, "events.sqlite")
        expect(yield* check(file)).toMatchObject({ status: "ok", detail: `${file} (not made yet: the first command creates it)` })
        yield* makeStore(file)
        expect(yield* check(file)).toEqual({
          name: "store",
          status: "ok",
          detail: `${file} (store version ${latestMigrationId}, quick_check ok)`,
          required: true
        })
        yield* Effect.scoped(
          Effect.gen(function* () {
            const store = yield* Effect.provide(EventStore, yield* Layer.build(eventStoreOnFile(file)))
            yield* store.acquireLease
            expect((yield* check(file)).detail).toContain(`owned by the run of pid ${process.pid} on ${hostname()}`)
          })
        )
      })
    )
  )

  it.effect("fails on a newer, a damaged, a foreign and a directory store, each with the path and what to do", () =>
    withDir((dir) =>
      Effect.gen(function* () {
        const newer = NodePath.join(dir, "newer.sqlite")
        yield* makeStore(newer)
        const db = new Database(newer)
        db.prepare("INSERT INTO effect_sql_migrations (migration_id, name) VALUES (?, 'later')").run(latestMigrationId + 1)
        db.close()
        expect(yield* check(newer)).toMatchObject({ status: "fail", detail: expect.stringContaining(`${newer} was made by a newer orchestrator`) })

        const damaged = NodePath.join(dir, "damaged.sqlite")
        yield* makeStore(damaged)
        damageAnIndex(damaged)
        const found = yield* check(damaged)
        expect(found.status).toBe("fail")
        expect(found.detail).toMatch(new RegExp(`^${damaged} is damaged \\(SQLite quick_check: .+\\): move it aside`))
        expect(found.detail).not.toContain("\n")

        const foreign = NodePath.join(dir, "foreign.sqlite")
        writeFileSync(foreign, "not a database at all, only text ".repeat(10))
        expect(yield* check(foreign)).toMatchObject({ status: "fail", detail: expect.stringContaining(`${foreign} is not an orchestrator store`) })

        const folder = NodePath.join(dir, "folder.sqlite")
        mkdirSync(folder)
        expect(yield* check(folder)).toMatchObject({ status: "fail", detail: expect.stringContaining(`${folder} is a directory`) })
      })
    )
  )
})

describe.skipIf(!postgresInstalled())("doctor on a PostgreSQL store and a cluster", () => {
  let server: ThrowawayPostgres
  beforeAll(async () => {
    server = await startPostgres()
  }, 60_000)
  afterAll(() => server.stop())

  it.live("names the server without its password, its version and the runners: a cluster with no online runner fails, one with runners passes", () =>
    Effect.gen(function* () {
      const url = server.createDatabase("doctor")
      const settings = (cluster: boolean) => ({ database: { url: url.replace(`:${server.password}@`, "@") }, cluster: { enabled: cluster } })
      process.env["PGPASSWORD"] = server.password
      const empty = yield* checksOf(settings(true), "/")
      expect(empty.map((c) => [c.name, c.status])).toEqual([
        ["store", "ok"],
        ["cluster", "fail"]
      ])
      expect(empty[0]?.detail).toMatch(/^postgres:\/\/orchestrator@127\.0\.0\.1:\d+\/doctor \(PostgreSQL 15\.\d+, empty: the first command migrates it\)$/)
      expect(empty[1]?.detail).toContain("no runner has joined")
      expect(JSON.stringify(empty)).not.toContain(server.password)

      const now = Date.now()
      yield* Effect.flatMap(EventStore, (store) =>
        Effect.all([
          store.recordRunner(new RunnerRow({ name: "alpha", host: "a.lan", pid: 1, projects: { ENG: "/srv/eng" }, maxSessions: 2, startedAt: now, seenAt: now })),
          store.recordRunner(new RunnerRow({ name: "beta", host: "b.lan", pid: 1, projects: {}, maxSessions: 2, startedAt: 0, seenAt: 0 }))
        ])
      ).pipe(Effect.provide(eventStoreOnPostgres(Redacted.make(url), Schema.decodeUnknownSync(DatabaseSettings)({}))))
      const joined = yield* checksOf(settings(true), "/")
      expect(joined.map((c) => [c.name, c.status])).toEqual([
        ["store", "ok"],
        ["cluster", "warn"]
      ])
      expect(joined[1]?.detail).toMatch(/^alpha on a\.lan \(ENG; 2 at once\); beta offline since 1970-01-01T00:00:00\.000Z$/)
      // Without the cluster only the store is checked.
      expect((yield* checksOf(settings(false), "/")).map((c) => c.name)).toEqual(["store"])
    }).pipe(Effect.ensuring(Effect.sync(() => delete process.env["PGPASSWORD"])))
  , 60_000)
})

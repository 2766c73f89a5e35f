import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Cause, Context, Effect, Exit, Fiber, Layer, Option, Redacted, Schedule, Schema, Scope } from "effect"
import { DatabaseSettings } from "../../../../src/domain/config.js"
import { SessionEvent } from "../../../../src/domain/events.js"
import { eventStoreOnPostgres, makePostgres } from "../../../../src/layers/eventStore/postgres/postgresStore.js"
import { EventStoreLive } from "../../../../src/layers/eventStore/SqliteEventStore.js"
import { inTransaction } from "../../../../src/layers/eventStore/transaction.js"
import { EventStore } from "../../../../src/services/EventStore.js"
import { startPostgres, type ThrowawayPostgres } from "../../../support/postgres.js"
import { sessionId, startedWork } from "../../../support/sampleEvents.js"
import { eventStoreContract, type FreshStore } from "../eventStoreContract.js"

const dbDefaults = Schema.decodeUnknownSync(DatabaseSettings)({})

let server: ThrowawayPostgres
beforeAll(async () => {
  server = await startPostgres()
}, 60_000)
afterAll(() => server.stop())

let databases = 0
const freshDatabase = () => Redacted.make(server.createDatabase(`store_${++databases}`))

/** A new database on the throwaway server per test; each handle its own pool. */
const freshPostgres: FreshStore = Effect.sync(() => {
  const url = freshDatabase()
  return () => Layer.fresh(Layer.provideMerge(EventStoreLive, makePostgres(url, dbDefaults)))
})

describe("EventStore contract on PostgreSQL", () => {
  eventStoreContract(freshPostgres)
})

describe("PostgreSQL store", () => {
  it.scoped("payloads are JSONB; a NUL character (which JSONB cannot hold) comes back as U+FFFD", () =>
    Effect.gen(function* () {
      const url = freshDatabase()
      const context = yield* Layer.build(Layer.provideMerge(EventStoreLive, makePostgres(url, dbDefaults)))
      const store = Effect.runSync(Effect.provide(EventStore, context))
      yield* store.append(startedWork(1).slice(0, 1))
      yield* store.append([new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TextDelta", itemId: "m", text: "a\u0000b" } })])
      const [read] = yield* store.events({ types: ["SessionEvent"] })
      expect(read?.event).toEqual(new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TextDelta", itemId: "m", text: "a\ufffdb" } }))
      const sql = yield* Effect.provide(SqlClient.SqlClient, context)
      const types = yield* sql<{ t: string }>`SELECT pg_typeof(payload)::text AS t FROM events LIMIT 1`
      expect(types[0]?.t).toBe("jsonb")
      const text = yield* sql<{ text: string }>`SELECT payload->'event'->>'text' AS text FROM events WHERE type = 'SessionEvent'`
      expect(text[0]?.text).toBe("a\ufffdb")
    })
  )

  it.scoped("three handles opening a new database at once all open it, migrated once; a reopened one keeps the data", () =>
    Effect.gen(function* () {
      const url = freshDatabase()
      const stores = yield* Effect.all(
        Array.from({ length: 3 }, () => Effect.flatMap(Layer.build(Layer.fresh(eventStoreOnPostgres(url, dbDefaults))), (c) => Effect.provide(EventStore, c))),
        { concurrency: "unbounded" }
      )
      yield* stores[0]!.append(startedWork(1))
      const again = yield* Effect.flatMap(Layer.build(Layer.fresh(eventStoreOnPostgres(url, dbDefaults))), (c) => Effect.provide(EventStore, c))
      expect((yield* again.sessions({})).map((s) => s.id)).toEqual([sessionId(1)])
      const sql = yield* Effect.provide(SqlClient.SqlClient, yield* Layer.build(makePostgres(url, dbDefaults)))
      expect((yield* sql<{ migration_id: number }>`SELECT migration_id FROM effect_sql_migrations ORDER BY 1`).map((r) => r.migration_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    })
  )

  it.effect("a wrong password is a StoreError naming the server without the password", () =>
    Effect.gen(function* () {
      const url = server.url().replace(server.password, "not-the-password")
      const error = yield* Effect.flip(Layer.build(eventStoreOnPostgres(Redacted.make(url), dbDefaults)).pipe(Effect.scoped))
      expect(error._tag).toBe("StoreError")
      expect(error.message).toContain(`postgres://${server.user}@127.0.0.1:${server.port}/postgres`)
      expect(error.message).toContain("password authentication failed")
      expect(error.message).not.toContain("not-the-password")
    })
  )

  // Live clock: the retry below waits for real while the server lets the dead holder's lock go.
  it.live("the lease follows the holder's connection: a run on another machine that died (its row left behind) is taken over; a live one refuses", () =>
    Effect.gen(function* () {
      const url = freshDatabase()
      const open = () => Layer.build(Layer.fresh(Layer.provideMerge(EventStoreLive, makePostgres(url, dbDefaults))))
      const storeIn = (context: Context.Context<EventStore>) => Context.get(context, EventStore)

      // A holder killed with -9: its pool is gone without a release, its row stays.
      const crashed = yield* Scope.make()
      const holder = storeIn(yield* Scope.extend(open(), crashed))
      yield* holder.acquireLease
      const sql = yield* Effect.provide(SqlClient.SqlClient, yield* Scope.extend(Layer.build(makePostgres(url, dbDefaults)), crashed))
      // As if it ran on another machine, where a pid says nothing.
      yield* sql`UPDATE store_lease SET host = 'elsewhere', pid = 4242`
      const live = yield* Scope.make()
      const next = storeIn(yield* Scope.extend(open(), live))
      const refused = yield* Effect.flip(next.acquireLease)
      expect(refused._tag).toBe("StoreLeased")
      yield* Scope.close(crashed, Exit.void)

      // The server lets the lock go once it has seen the connection close: a moment, longer under load.
      const taken = yield* next.acquireLease.pipe(Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 50 }))
      expect(taken.tookOverFrom).toEqual(Option.some({ pid: 4242, host: "elsewhere", since: expect.any(Number) }))
      // And while this one lives, a third is refused, naming it.
      const third = storeIn(yield* Scope.extend(open(), live))
      const again = yield* Effect.flip(third.acquireLease)
      expect(again._tag === "StoreLeased" && again.holder.pid).toBe(process.pid)
      yield* Scope.close(live, Exit.void)
    })
  )

  it.live("a lease outlives a server restart: the holder takes its lock again; a run that took it while the holder's connection was down makes the holder stop", () =>
    Effect.gen(function* () {
      const url = freshDatabase()
      const open = () => Layer.build(Layer.fresh(Layer.provideMerge(EventStoreLive, makePostgres(url, dbDefaults))))
      const storeIn = (context: Context.Context<EventStore>) => Context.get(context, EventStore)
      const holder = storeIn(yield* open())
      yield* holder.acquireLease
      const watching = yield* Effect.fork(holder.watchLease)
      const observer = yield* Effect.provide(SqlClient.SqlClient, yield* Layer.build(makePostgres(url, dbDefaults)))
      const lockHolders = Effect.map(
        observer<{ pid: number }>`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted`,
        (rows) => rows.map((row) => row.pid)
      ).pipe(Effect.orElseSucceed((): ReadonlyArray<number> => []))

      server.restart()
      // Within a few beats the holder's lock is back, on a new connection, and a new run is refused.
      yield* lockHolders.pipe(Effect.repeat({ schedule: Schedule.spaced("250 millis"), until: (pids) => pids.length === 1 }), Effect.timeout("20 seconds"))
      const next = storeIn(yield* open())
      expect((yield* Effect.flip(next.acquireLease))._tag).toBe("StoreLeased")
      expect(watching.unsafePoll()).toBeNull()

      // The holder's connection drops, and another run takes the lease before the holder notices.
      for (let attempt = 0; attempt < 5; attempt++) {
        const [pid] = yield* lockHolders
        if (pid !== undefined) yield* observer`SELECT pg_terminate_backend(${pid})`.pipe(Effect.ignore)
        const taken = yield* Effect.either(next.acquireLease.pipe(Effect.retry({ schedule: Schedule.spaced("20 millis"), times: 10, while: (e) => e._tag === "StoreError" })))
        if (taken._tag === "Right") break
      }
      const lost = yield* Fiber.join(watching).pipe(Effect.flip, Effect.timeout("20 seconds"))
      expect(lost._tag).toBe("StoreLeaseLost")
      expect(lost.holder.pid).toBe(process.pid)
      expect(lost.message).toContain("another run took the lease")
    }).pipe(Effect.scoped),
    60_000
  )

  it.scoped("a transaction whose connection drops fails with SqlError (its ROLLBACK fails too), never with a defect", () =>
    Effect.gen(function* () {
      const url = freshDatabase()
      const sql = yield* Effect.provide(SqlClient.SqlClient, yield* Layer.build(makePostgres(url, dbDefaults)))
      const observer = yield* Effect.provide(SqlClient.SqlClient, yield* Layer.build(Layer.fresh(makePostgres(url, dbDefaults))))
      const exit = yield* Effect.exit(
        inTransaction(sql)(
          Effect.gen(function* () {
            const [own] = yield* sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`
            yield* observer`SELECT pg_terminate_backend(${own?.pid ?? 0})`
            yield* sql`SELECT 1`
          })
        )
      )
      expect(Exit.isFailure(exit) && Cause.isFailType(exit.cause) && exit.cause.error._tag).toBe("SqlError")
    })
  )
})

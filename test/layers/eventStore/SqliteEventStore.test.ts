import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import Database from "better-sqlite3"
import { Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import * as NodePath from "node:path"
import { SessionStateChanged, TicketSynced, WorkflowTransition } from "../../../src/domain/events.js"
import { eventStoreOnFile, EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { projectionTables } from "../../../src/layers/eventStore/migrations.js"
import { makeSqlite } from "../../../src/layers/eventStore/sqlite.js"
import { EventStoreLive } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, sessionId, startedWork, ticketId, workItemId } from "../../support/sampleEvents.js"

const withTempDir = <A, E, R>(use: (dir: string) => Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => mkdtempSync(NodePath.join(tmpdir(), "orch-store-"))),
    use,
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const dumpProjections = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const dump: Record<string, unknown> = {}
  for (const table of projectionTables) dump[table] = yield* sql`SELECT * FROM ${sql(table)} ORDER BY 1`
  return dump
})

describe("SqliteEventStore", () => {
  it.effect("appends numbered events and keeps the projections in step", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const stored = yield* store.append(startedWork(1))
      expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1))

      const sessions = yield* store.sessions({})
      expect(sessions).toHaveLength(1)
      const row = sessions[0]!
      expect(row.state).toBe("Running")
      expect(row.ticketIdentifier).toBe("LOC-1")
      expect(row.workflowState).toBe("Planning")
      expect(row.pullRequestUrl).toBe("https://github.com/o/r/pull/1")
      expect(row.harnessSessionId).toBe("thread-1")
      expect(row.eventCount).toBe(2)

      expect(Option.map(yield* store.ticket(ticketId(1)), (t) => t.title)).toEqual(Option.some("Ticket 1"))
      expect(Option.map(yield* store.worktree(workItemId(1)), (w) => w.branch)).toEqual(Option.some("orchestrator/LOC-1-ticket"))
      expect((yield* store.inbox({ openOnly: true })).map((i) => i.title)).toEqual(["Approve `rm -rf build`?"])
      expect(yield* store.sessions({ state: "Done" })).toEqual([])

      const own = yield* store.events({ sessionId: sessionId(1) })
      expect(own.map((e) => e.event._tag)).toEqual([
        "SessionSpawned",
        "HarnessBound",
        "SessionStateChanged",
        "SessionEvent",
        "SessionEvent",
        "ArtifactCreated",
        "InboxItemCreated"
      ])
      const newest = yield* store.events({ newestFirst: true, limit: 2 })
      expect(newest.map((e) => e.seq)).toEqual([11, 10])
    }).pipe(Effect.provide(EventStoreTest))
  )

  it.effect("rebuilding the projections from the log gives the same tables", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append(startedWork(1))
      yield* store.append(startedWork(2))
      yield* store.append([
        new WorkflowTransition({ workItemId: workItemId(1), from: "Planning", to: "Implementing", reason: "go" }),
        new SessionStateChanged({ sessionId: sessionId(2), from: "Running", to: "Crashed", reason: "exit 1" })
      ])
      const before = yield* dumpProjections
      yield* store.rebuildProjections
      expect(yield* dumpProjections).toEqual(before)
    }).pipe(Effect.provide(Layer.provideMerge(EventStoreLive, makeSqliteMemory())))
  )

  it.effect("keeps the sequence gap-free under concurrent appends", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* Effect.forEach(
        Array.from({ length: 40 }, (_, i) => i),
        (i) => store.append(startedWork(i + 1).slice(0, 1 + (i % 5))),
        { concurrency: "unbounded", discard: true }
      )
      const all = yield* store.events({})
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1))
      expect(yield* store.lastSeq).toBe(all.length)
    }).pipe(Effect.provide(EventStoreTest))
  )

  it.effect("appendNumbered hands out each number of a sequence once, never below its floor, and appends what was built from it", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const ticketNumbered = (n: number) => [new TicketSynced({ ticket: makeTicket({ id: ticketId(n), identifier: `LOCAL-${n}`, title: `t${n}` }) })]
      const numbers = [
        (yield* store.appendNumbered("a", ticketNumbered)).n,
        (yield* store.appendNumbered("a", ticketNumbered)).n,
        (yield* store.appendNumbered("a", ticketNumbered, 10)).n,
        (yield* store.appendNumbered("a", ticketNumbered, 3)).n,
        (yield* store.appendNumbered("b", () => [])).n
      ]
      expect(numbers).toEqual([1, 2, 10, 11, 1])
      expect((yield* store.tickets({})).map((t) => t.identifier).sort()).toEqual(["LOCAL-1", "LOCAL-10", "LOCAL-11", "LOCAL-2"])
    }).pipe(Effect.provide(EventStoreTest))
  )

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
        expect(again.migrations.map((m) => m.migration_id)).toEqual([1, 2, 3, 4, 5, 6, 7])
        expect(again.sessions.map((s) => s.id)).toEqual([sessionId(1)])
        expect(again.journal[0]?.journal_mode).toBe("wal")
      })
    )
  )

  it.effect("prunes events of sessions that ended long ago, never of live ones", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append(startedWork(1))
      yield* store.append(startedWork(2))
      yield* store.append([new SessionStateChanged({ sessionId: sessionId(1), from: "Running", to: "Done", reason: "merged" })])
      const pruned = yield* store.prune(Number.MAX_SAFE_INTEGER)
      expect(pruned).toBe(8)
      expect(yield* store.events({ sessionId: sessionId(1) })).toEqual([])
      expect((yield* store.events({ sessionId: sessionId(2) })).length).toBe(7)
      const next = yield* store.append(startedWork(3).slice(0, 1))
      expect(next[0]?.seq).toBe(24)
    }).pipe(Effect.provide(EventStoreTest))
  )
})

const dbDefaults = {
  max_connections: 1,
  busy_timeout_ms: 5000,
  wal_enabled: true,
  synchronous: "NORMAL" as const,
  chunk_event_flush_ms: 50,
  retention_days: 30
}

function makeSqliteMemory() {
  return makeSqlite(":memory:", { ...dbDefaults, wal_enabled: false})
}

describe("SqliteEventStore: workflow moves", () => {
  it.effect("a move out of turn is refused whole; a decided append checks the state in its transaction", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      yield* store.append(startedWork(1))
      const before = yield* store.lastSeq
      const idle = new SessionStateChanged({ sessionId: sessionId(1), from: "Running", to: "Idle", reason: "turn over" })
      const stale = new WorkflowTransition({ workItemId: workItemId(1), from: "New", to: "Planning", reason: "decided from an old reading" })
      const refused = yield* Effect.flip(store.append([idle, stale]))
      expect(refused.message).toContain("is Planning, not New")
      // Nothing of the batch was written: not the session change that came first, not the sequence.
      expect(yield* store.lastSeq).toBe(before)
      expect(Option.map(yield* store.session(sessionId(1)), (row) => row.state)).toEqual(Option.some("Running"))

      const decided = yield* Effect.flip(store.appendDecided({ workItemId: workItemId(1), state: "New" }, [idle]))
      expect(decided._tag).toBe("StaleState")
      expect(yield* store.lastSeq).toBe(before)
      const moved = yield* store.appendDecided({ workItemId: workItemId(1), state: "Planning" }, [
        new WorkflowTransition({ workItemId: workItemId(1), from: "Planning", to: "Implementing", reason: "accepted" })
      ])
      expect(moved).toHaveLength(1)
      expect(Option.map(yield* store.workItem(workItemId(1)), (item) => item.state)).toEqual(Option.some("Implementing"))
    }).pipe(Effect.provide(EventStoreTest)))

  it.effect("a rebuild skips a duplicate move an older version recorded", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const sql = yield* SqlClient.SqlClient
      yield* store.append(startedWork(1))
      yield* store.append([new WorkflowTransition({ workItemId: workItemId(1), from: "Planning", to: "Implementing", reason: "accepted" })])
      // What an older version could write: a move decided from a stale reading, recorded anyway.
      const [row] = yield* sql<{ payload: string }>`SELECT payload FROM events WHERE type = 'WorkflowTransition' ORDER BY seq DESC LIMIT 1`
      const payload = (row?.payload ?? "").replace('"from":"Planning","to":"Implementing"', '"from":"New","to":"Planning"')
      expect(payload).toContain('"from":"New"')
      yield* sql`INSERT INTO events (seq, at, type, work_item_id, payload, schema_version) VALUES (1000, 0, 'WorkflowTransition', ${workItemId(1)}, ${payload}, 1)`
      yield* store.rebuildProjections
      expect(Option.map(yield* store.workItem(workItemId(1)), (item) => item.state)).toEqual(Option.some("Implementing"))
    }).pipe(Effect.provide(Layer.provideMerge(EventStoreLive, makeSqliteMemory()))))
})

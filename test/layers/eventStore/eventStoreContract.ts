// What every EventStore adapter must do, run on SQLite (SqliteEventStore.test.ts) and on a throwaway
// PostgreSQL (postgres/PostgresEventStore.test.ts). Each test gets a new empty store; `open` gives
// one more handle on it with its own connections, as another process would have.
import { SqlClient } from "@effect/sql"
import { expect, it } from "@effect/vitest"
import { Effect, Layer, Option, type Scope } from "effect"
import { hostname } from "node:os"
import { RunnerRow } from "../../../src/domain/runner.js"
import { SessionEvent, SessionStateChanged, TicketSynced, WorkflowTransition } from "../../../src/domain/events.js"
import { projectionTables } from "../../../src/layers/eventStore/migrations.js"
import { eventPayload } from "../../../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { makeTicket, sessionId, startedWork, ticketId, workItemId } from "../../support/sampleEvents.js"

export type StoreHandle = Layer.Layer<EventStore | SqlClient.SqlClient, unknown>

/** A new empty store; each call of the result opens one more handle on it. */
export type FreshStore = Effect.Effect<() => StoreHandle, never, Scope.Scope>

const dumpProjections = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const dump: Record<string, unknown> = {}
  for (const table of projectionTables) dump[table] = yield* sql`SELECT * FROM ${sql(table)} ORDER BY 1`
  return dump
})

const handleOn = (open: () => StoreHandle) => Effect.flatMap(Layer.build(open()), (context) => Effect.provide(EventStore, context))

export const eventStoreContract = (fresh: FreshStore) => {
  /** Runs `body` with a new store's first handle provided. */
  const onFreshStore = <A, E>(body: (open: () => StoreHandle) => Effect.Effect<A, E, EventStore | SqlClient.SqlClient | Scope.Scope>) =>
    Effect.gen(function* () {
      const open = yield* fresh
      const context = yield* Layer.build(open())
      return yield* Effect.provide(body(open), context)
    })

  type Store = EventStore["Type"]
  /** Runs `body` with two handles on a new store, as two processes would have. */
  const onTwoHandles = <A, E>(body: (first: Store, second: Store, open: () => StoreHandle) => Effect.Effect<A, E, EventStore | SqlClient.SqlClient | Scope.Scope>) =>
    onFreshStore((open) => Effect.flatMap(Effect.all([EventStore, handleOn(open)]), ([first, second]) => body(first, second, open)))

  it.scoped("appends numbered events and keeps the projections in step", () =>
    onFreshStore(() =>
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
        expect(yield* store.workItemSessions(workItemId(1))).toEqual(sessions)

        expect(Option.map(yield* store.ticket(ticketId(1)), (t) => t.title)).toEqual(Option.some("Ticket 1"))
        expect(yield* store.ticketCount({})).toBe(1)
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
        expect((yield* store.events({ afterSeq: 9, types: ["SessionEvent", "InboxItemCreated"] })).map((e) => e.seq)).toEqual([11])
      })
    )
  )

  it.scoped("text comes back as it went in: quotes, backslashes, unicode, control characters", () =>
    onFreshStore(() =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const text = `a "quoted" \\u0000 back\\slash, é, 🚀, \x1b[31m, tab\t, line\n`
        yield* store.append(startedWork(1).slice(0, 1))
        yield* store.append([new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TextDelta", itemId: "m", text } })])
        const [read] = yield* store.events({ types: ["SessionEvent"] })
        expect(read?.event).toEqual(new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TextDelta", itemId: "m", text } }))
      })
    )
  )

  it.scoped("rebuilding the projections from the log gives the same tables", () =>
    onFreshStore(() =>
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
      })
    )
  )

  it.scoped("keeps the sequence gap-free under concurrent appends from two handles", () =>
    onTwoHandles((first, second) =>
      Effect.gen(function* () {
        yield* Effect.forEach(
          Array.from({ length: 40 }, (_, i) => i),
          (i) => (i % 2 === 0 ? first : second).append(startedWork(i + 1).slice(0, 1 + (i % 5))),
          { concurrency: "unbounded", discard: true }
        )
        const all = yield* first.events({})
        expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1))
        expect(yield* first.lastSeq).toBe(all.length)
        expect(yield* second.lastSeq).toBe(all.length)
      })
    )
  )

  it.scoped("a reader following `afterSeq` while two handles append misses no event", () =>
    onTwoHandles((first, second, open) =>
      Effect.gen(function* () {
        const reader = yield* handleOn(open)
        yield* first.append(startedWork(1).slice(0, 1))
        const writers = Effect.forEach(
          Array.from({ length: 60 }, (_, i) => i),
          (i) => (i % 2 === 0 ? first : second).append([new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TextDelta", itemId: "m", text: `${i}` } })]),
          { concurrency: 6, discard: true }
        )
        const seen: Array<number> = []
        const follow = Effect.gen(function* () {
          let after = 0
          while (after < 61) {
            const page = yield* reader.events({ afterSeq: after })
            for (const stored of page) seen.push(stored.seq)
            after = page[page.length - 1]?.seq ?? after
            yield* Effect.yieldNow()
          }
        })
        yield* Effect.all([writers, follow], { concurrency: 2, discard: true })
        expect(seen).toEqual(Array.from({ length: 61 }, (_, i) => i + 1))
      })
    )
  )

  it.scoped("appendNumbered hands out each number of a sequence once, never below its floor, and appends what was built from it", () =>
    onFreshStore(() =>
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
      })
    )
  )

  it.scoped("prunes events of sessions that ended long ago, never of live ones", () =>
    onFreshStore(() =>
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
      })
    )
  )

  it.scoped("a move out of turn is refused whole; a decided append checks the state in its transaction", () =>
    onFreshStore(() =>
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
      })
    )
  )

  it.scoped("two handles deciding the same move at once: exactly one is recorded", () =>
    onTwoHandles((first, second) =>
      Effect.gen(function* () {
        yield* first.append(startedWork(1))
        const move = (reason: string) => [new WorkflowTransition({ workItemId: workItemId(1), from: "Planning", to: "Implementing", reason })]
        const results = yield* Effect.all(
          Array.from({ length: 8 }, (_, i) => Effect.either((i % 2 === 0 ? first : second).appendDecided({ workItemId: workItemId(1), state: "Planning" }, move(`r${i}`)))),
          { concurrency: "unbounded" }
        )
        expect(results.filter((r) => r._tag === "Right")).toHaveLength(1)
        expect(results.filter((r) => r._tag === "Left").map((r) => (r._tag === "Left" ? r.left._tag : ""))).toEqual(Array(7).fill("StaleState"))
        expect(yield* first.events({ types: ["WorkflowTransition"] })).toHaveLength(2)
      })
    )
  )

  it.scoped("a rebuild skips a duplicate move an older version recorded", () =>
    onFreshStore(() =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const sql = yield* SqlClient.SqlClient
        yield* store.append(startedWork(1))
        yield* store.append([new WorkflowTransition({ workItemId: workItemId(1), from: "Planning", to: "Implementing", reason: "accepted" })])
        // What an older version could write: a move decided from a stale reading, recorded anyway.
        const payload = eventPayload(new WorkflowTransition({ workItemId: workItemId(1), from: "New", to: "Planning", reason: "stale" }))
        yield* sql`INSERT INTO events (seq, at, type, work_item_id, payload, schema_version) VALUES (1000, 0, 'WorkflowTransition', ${workItemId(1)}, ${payload}, 1)`
        yield* store.rebuildProjections
        expect(Option.map(yield* store.workItem(workItemId(1)), (item) => item.state)).toEqual(Option.some("Implementing"))
      })
    )
  )

  it.scoped("one lease holder at a time: a second handle is refused with the holder's pid, host and start; after release it is free", () =>
    onTwoHandles((first, second) =>
      Effect.gen(function* () {
        const taken = yield* first.acquireLease
        expect(taken.holder).toMatchObject({ pid: process.pid, host: hostname() })
        const refused = yield* Effect.flip(second.acquireLease)
        expect(refused._tag).toBe("StoreLeased")
        expect(refused.message).toContain(`is in use by another run (pid ${process.pid} on ${hostname()}`)
        // The refused handle's release must not free the holder's lease.
        yield* second.releaseLease
        expect((yield* Effect.flip(second.acquireLease))._tag).toBe("StoreLeased")
        yield* first.releaseLease
        expect((yield* second.acquireLease).holder.pid).toBe(process.pid)
      })
    )
  )

  it.scoped("a runner's row: recorded, refreshed in place, listed by name for every handle", () =>
    onTwoHandles((first, second) =>
      Effect.gen(function* () {
        const row = (name: string, seenAt: number) =>
          new RunnerRow({ name, host: "box-1", pid: 10, projects: { ENG: "/srv/eng", "ops team": "/srv/ops" }, maxSessions: 2, startedAt: 1000, seenAt })
        yield* first.recordRunner(row("beta", 2000))
        yield* first.recordRunner(row("alpha", 2000))
        yield* first.recordRunner(row("beta", 5000))
        expect(yield* second.runners).toEqual([row("alpha", 2000), row("beta", 5000)])
      })
    )
  )
}

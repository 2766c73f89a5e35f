// Events/s into a PostgreSQL event store from 2 runners × 10 sessions (each runner its own store
// handle and pool, as two machines would have), beside plain INSERTs of the same rows into the same
// throwaway server in the same run: what the store's serialized, projected appends cost.
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted, Schema } from "effect"
import { performance } from "node:perf_hooks"
import { DatabaseSettings } from "../src/domain/config.js"
import { type DomainEvent, SessionEvent, SessionSpawned } from "../src/domain/events.js"
import { eventStoreOnPostgres } from "../src/layers/eventStore/postgres/postgresStore.js"
import { eventPayload } from "../src/layers/eventStore/SqliteEventStore.js"
import { EventStore } from "../src/services/EventStore.js"
import { startPostgres } from "../test/support/postgres.js"
import { sessionId } from "../test/support/sampleEvents.js"
import { clusterEventsPerSecond, RUNNERS as CLUSTER_RUNNERS, SESSIONS_PER_RUNNER as CLUSTER_SESSIONS } from "./clusterEvents.js"
import type { Figure } from "./figures.js"

const RUNNERS = 2
const SESSIONS_PER_RUNNER = 10
const EVENTS_PER_SESSION = 1_000
/** Events a session hands the store at once (its buffered output between two flushes). */
const BATCH = 20

const db = Schema.decodeUnknownSync(DatabaseSettings)({ max_connections: SESSIONS_PER_RUNNER })

const workerEvent = (session: number, i: number): DomainEvent =>
  new SessionEvent({
    sessionId: sessionId(session),
    event:
      i % 10 === 9
        ? { _tag: "CommandExecution", itemId: `cmd-${i}`, command: "npm test", cwd: "/wt", status: "completed", output: "ok\n", exitCode: 0 }
        : { _tag: "TextDelta", itemId: `msg-${Math.floor(i / 50)}`, text: `token ${i} ` }
  })

const batchesOf = (session: number): ReadonlyArray<ReadonlyArray<DomainEvent>> =>
  Array.from({ length: EVENTS_PER_SESSION / BATCH }, (_, b) => Array.from({ length: BATCH }, (_, i) => workerEvent(session, b * BATCH + i)))

const sessionsOf = (runner: number) => Array.from({ length: SESSIONS_PER_RUNNER }, (_, i) => runner * SESSIONS_PER_RUNNER + i)

/** Every runner's sessions append their batches at once, through that runner's own store handle. */
const storeAppend = (url: string) =>
  Effect.gen(function* () {
    const runners = yield* Effect.forEach(sessionsOf(0).slice(0, RUNNERS), () =>
      Effect.flatMap(Layer.build(Layer.fresh(eventStoreOnPostgres(Redacted.make(url), db))), (context) => Effect.provide(EventStore, context))
    )
    yield* runners[0]!.append(
      Array.from({ length: RUNNERS * SESSIONS_PER_RUNNER }, (_, i) =>
        new SessionSpawned({ sessionId: sessionId(i), workItemId: null, ticketId: null, harness: "harness.codex", model: null, worktreePath: `/wt/${i}` })
      )
    )
    const start = performance.now()
    yield* Effect.forEach(
      runners.flatMap((store, runner) => sessionsOf(runner).map((session) => Effect.forEach(batchesOf(session), (batch) => store.append(batch), { discard: true }))),
      (session) => session,
      { concurrency: "unbounded", discard: true }
    )
    return (performance.now() - start) / 1000
  }).pipe(Effect.scoped)

/** The floor: the same rows as plain multi-row INSERTs (one statement per batch) into an indexed table. */
const rawInserts = (url: string) =>
  Effect.gen(function* () {
    const clients = yield* Effect.forEach(sessionsOf(0).slice(0, RUNNERS), () =>
      Effect.flatMap(Layer.build(PgClient.layer({ url: Redacted.make(url), maxConnections: SESSIONS_PER_RUNNER })), (context) =>
        Effect.provide(PgClient.PgClient, context)
      )
    )
    const sql = clients[0]!
    yield* sql`CREATE TABLE events (seq BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, type TEXT NOT NULL, session_id TEXT, payload JSONB NOT NULL)`
    yield* sql`CREATE INDEX events_session ON events (session_id, seq)`
    const start = performance.now()
    yield* Effect.forEach(
      clients.flatMap((client, runner) =>
        sessionsOf(runner).map((session) =>
          Effect.forEach(
            batchesOf(session),
            (batch) =>
              client`INSERT INTO events ${client.insert(
                batch.map((event) => ({ at: 1_700_000_000_000, type: event._tag, session_id: sessionId(session), payload: eventPayload(event) }))
              )}`,
            { discard: true }
          )
        )
      ),
      (session) => session,
      { concurrency: "unbounded", discard: true }
    )
    return (performance.now() - start) / 1000
  }).pipe(Effect.scoped)

export const benchEventStorePostgres = async (): Promise<ReadonlyArray<Figure>> => {
  const server = await startPostgres()
  try {
    const total = RUNNERS * SESSIONS_PER_RUNNER * EVENTS_PER_SESSION
    const store = total / (await Effect.runPromise(storeAppend(server.createDatabase("bench_store"))))
    const raw = total / (await Effect.runPromise(rawInserts(server.createDatabase("bench_raw"))))
    const cluster = await Effect.runPromise(clusterEventsPerSecond(server.createDatabase("bench_cluster")))
    const throughCluster = cluster.events / cluster.seconds
    return [
      { label: `event store append, ${RUNNERS} runners × ${SESSIONS_PER_RUNNER} sessions, batches of ${BATCH}`, value: Math.round(store), unit: "events/s" },
      { label: `plain INSERTs, same rows, same concurrency`, value: Math.round(raw), unit: "rows/s" },
      { label: "store append as a share of plain inserts", value: store / raw, unit: "×" },
      {
        label: `through the cluster: ${CLUSTER_RUNNERS.length} runner processes × ${CLUSTER_SESSIONS} scripted agents → coordinator → store (${cluster.events.toLocaleString("en-US")} events)`,
        value: Math.round(throughCluster),
        unit: "events/s"
      },
      { label: "through the cluster as a share of plain inserts", value: throughCluster / raw, unit: "×" }
    ]
  } finally {
    server.stop()
  }
}

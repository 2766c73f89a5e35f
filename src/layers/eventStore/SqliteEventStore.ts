import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Array as Arr, Clock, Effect, Either, Layer, Option, Schema } from "effect"
import { DomainEvent, EVENT_SCHEMA_VERSION, type StoredEvent } from "../../domain/events.js"
import { StoreCorrupt, StoreError } from "../../domain/errors.js"
import type { RunnerRow } from "../../domain/runner.js"
import { Ticket } from "../../domain/ticket.js"
import { StaleState } from "../../domain/workflowErrors.js"
import { type DecidedFrom, EventStore, type EventFilter, type TicketFilter } from "../../services/EventStore.js"
import { greatest, payloadText, runStatement, storablePayload } from "./dialect.js"
import { makeLease } from "./lease.js"
import { inTransaction } from "./transaction.js"
import { codeOf } from "./storeFile.js"
import { projectionTables } from "./migrations.js"
import { openInboxStatement, ticketListOrder } from "./projectionOrder.js"
import { project } from "./projector.js"
import {
  ArtifactFromDb,
  EventRow,
  HarnessBindingFromDb,
  RunnerFromDb,
  InboxItemFromDb,
  SessionRowFromDb,
  TicketDataRow,
  WorkItemFromDb,
  WorktreeFromDb
} from "./rows.js"
import { sessionStatement, sessionsStatement, type Statement, workItemSessionsStatement } from "./sessionsQuery.js"

const encodeEvent = Schema.encodeSync(DomainEvent)

/**
 * The stored JSON of an event. The streaming variants and synced tickets have no transformations, so their encoded
 * form is the value itself and the hot path skips the union encoder (a test pins the equivalence).
 */
export const eventPayload = (event: DomainEvent): string =>
  event._tag === "SessionEvent" || event._tag === "SupervisorQueryChunk" || event._tag === "TicketSynced"
    ? JSON.stringify(event)
    : JSON.stringify(encodeEvent(event))
const decodeEvent = Schema.decodeUnknown(Schema.parseJson(DomainEvent))

/** Rows per INSERT statement: large enough to amortize, far below SQLite's variable limit. */
const INSERT_CHUNK = 256

const isBusy = (cause: unknown) => codeOf(cause).startsWith("SQLITE_BUSY")

/** A SqlError in words; a write lock still held by another process after the wait says so and names the setting. */
const storeErrorWaiting = (busyTimeoutMs: number) => (operation: string) => (error: SqlError) =>
  new StoreError({
    operation,
    detail: isBusy(error.cause)
      ? `the store stayed locked by another process for more than ${busyTimeoutMs} ms ([database] busy_timeout_ms): try again, or raise busy_timeout_ms`
      : error.message + (error.cause instanceof Error ? `: ${error.cause.message}` : "")
  })

/** Rows decoded with a decoder built once (building one per call costs more than the decoding). */
const decodeRows = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknown(Schema.Array(schema))
  return (what: string) => (rows: ReadonlyArray<unknown>) =>
    Effect.mapError(decode(rows), (error) => new StoreCorrupt({ what, detail: error.message }))
}
type RowsDecoder<A> = (what: string) => (rows: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<A>, StoreCorrupt>

const decodeEventRows = decodeRows(EventRow)
const decodeSessionRows = decodeRows(SessionRowFromDb)
const decodeTicketRows = decodeRows(TicketDataRow)
const decodeWorkItemRows = decodeRows(WorkItemFromDb)
const decodeWorktreeRows = decodeRows(WorktreeFromDb)
const decodeArtifactRows = decodeRows(ArtifactFromDb)
const decodeBindingRows = decodeRows(HarnessBindingFromDb)
const decodeRunnerRows = decodeRows(RunnerFromDb)
const decodeInboxRows = decodeRows(InboxItemFromDb)

// One synchronous decode of the whole list: an Effect per row cost more than the decoding itself.
const decodeTicketList = Schema.decodeUnknownEither(Schema.Array(Schema.parseJson(Ticket)))
const decodeTickets = (rows: ReadonlyArray<typeof TicketDataRow.Type>) =>
  Either.match(decodeTicketList(rows.map((row) => row.data)), {
    onLeft: (error) => Effect.fail(new StoreCorrupt({ what: "ticket", detail: error.message })),
    onRight: (tickets) => Effect.succeed(tickets)
  })

/** The ids an event is about, kept in columns so the log can be filtered without decoding. */
const eventKeys = (event: DomainEvent) => ({
  ticketId: event._tag === "TicketSynced" ? event.ticket.id : "ticketId" in event ? event.ticketId : null,
  workItemId: "workItemId" in event ? event.workItemId : null,
  sessionId: "sessionId" in event ? event.sessionId : null
})

export const makeEventStore = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const busyRows = yield* sql.onDialectOrElse({
    sqlite: () => Effect.orElseSucceed(sql<{ timeout: number }>`PRAGMA busy_timeout`, () => []),
    orElse: () => Effect.succeed([])
  })
  const storable = storablePayload(sql)
  const payloadColumn = payloadText(sql)
  const storeError = storeErrorWaiting(busyRows[0]?.timeout ?? 0)
  const transaction = inTransaction(sql)

  const toStored = (row: typeof EventRow.Type): Effect.Effect<StoredEvent, StoreCorrupt> =>
    Effect.map(
      Effect.mapError(decodeEvent(row.payload), (error) => new StoreCorrupt({ what: `event ${row.seq}`, detail: error.message })),
      (event) => ({ seq: row.seq, at: row.at, event })
    )

  const insertEvents = (stored: ReadonlyArray<StoredEvent>) =>
    Effect.forEach(
      Arr.chunksOf(stored, INSERT_CHUNK),
      (chunk) =>
        sql`INSERT INTO events ${sql.insert(
          chunk.map(({ seq, at, event }) => {
            const keys = eventKeys(event)
            return {
              seq,
              at,
              type: event._tag,
              ticket_id: keys.ticketId,
              work_item_id: keys.workItemId,
              session_id: keys.sessionId,
              payload: storable(eventPayload(event)),
              schema_version: EVENT_SCHEMA_VERSION
            }
          })
        )}`,
      { discard: true }
    )

  /** The one append: numbered, inserted and projected (inside the caller's transaction), after the state check. */
  const appendInTransaction = (decidedFrom: DecidedFrom | undefined, events: ReadonlyArray<DomainEvent>) =>
    Effect.gen(function* () {
      const at = yield* Clock.currentTimeMillis
      // Bumping the counter first takes SQLite's write lock before anything is read.
      const rows = yield* sql<{ value: number }>`UPDATE event_sequence SET value = value + ${events.length} WHERE id = 1 RETURNING value`
      if (decidedFrom !== undefined) {
        const found = yield* sql<{ state: string }>`SELECT state FROM work_items WHERE id = ${decidedFrom.workItemId}`
        const actual = found[0]?.state ?? "missing"
        if (actual !== decidedFrom.state) {
          return yield* new StaleState({ workItemId: decidedFrom.workItemId, expected: decidedFrom.state, actual })
        }
      }
      const last = rows[0]?.value ?? events.length
      const first = last - events.length + 1
      const stored = events.map((event, index): StoredEvent => ({ seq: first + index, at, event }))
      yield* insertEvents(stored)
      yield* project(sql, stored, "refuse")
      return stored
    })

  const appendChecked = (decidedFrom: DecidedFrom | undefined, events: ReadonlyArray<DomainEvent>) =>
    appendInTransaction(decidedFrom, events).pipe(
      transaction,
      Effect.mapError((error) => (error._tag === "StaleState" ? error : storeError("append")(error)))
    )

  const appendNumbered = (sequence: string, build: (n: number) => ReadonlyArray<DomainEvent>, atLeast = 1) =>
    Effect.gen(function* () {
      // The number is taken with the write lock held, in the transaction that uses it.
      const floor = Math.max(1, Math.floor(atLeast))
      const rows = yield* sql<{ value: number }>`INSERT INTO id_sequences (name, value) VALUES (${sequence}, ${floor})
        ON CONFLICT (name) DO UPDATE SET value = ${sql.literal(greatest(sql))}(id_sequences.value + 1, ${floor}) RETURNING value`
      const n = rows[0]?.value ?? floor
      const events = build(n)
      const stored = events.length === 0 ? [] : yield* appendInTransaction(undefined, events)
      return { n, stored }
    }).pipe(
      transaction,
      Effect.mapError((error) =>
        error._tag === "StaleState"
          ? new StoreError({ operation: "append", detail: `a workflow move out of turn: ${error.message}` })
          : storeError(`append with the next ${sequence} number`)(error)
      )
    )

  const lease = makeLease(sql, storeError, yield* Effect.scope)

  const appendDecided = (decidedFrom: DecidedFrom, events: ReadonlyArray<DomainEvent>) =>
    events.length === 0 ? Effect.succeed([]) : appendChecked(decidedFrom, events)

  const append = (events: ReadonlyArray<DomainEvent>) =>
    events.length === 0
      ? Effect.succeed([])
      : Effect.mapError(appendChecked(undefined, events), (error) =>
          error._tag === "StaleState" ? new StoreError({ operation: "append", detail: `a workflow move out of turn: ${error.message}` }) : error
        )

  const events = (filter: EventFilter) =>
    Effect.gen(function* () {
      const conditions = [
        filter.afterSeq === undefined ? undefined : sql`seq > ${filter.afterSeq}`,
        filter.sessionId === undefined ? undefined : sql`session_id = ${filter.sessionId}`,
        filter.workItemId === undefined ? undefined : sql`work_item_id = ${filter.workItemId}`,
        filter.ticketId === undefined ? undefined : sql`ticket_id = ${filter.ticketId}`,
        filter.types === undefined ? undefined : sql`type IN ${sql.in(filter.types)}`
      ].filter((condition) => condition !== undefined)
      const order = filter.newestFirst === true ? sql`ORDER BY seq DESC` : sql`ORDER BY seq ASC`
      const limit = filter.limit === undefined ? sql`` : sql`LIMIT ${filter.limit}`
      const rows = yield* sql`SELECT seq, at, ${payloadColumn} FROM events WHERE ${sql.and(conditions)} ${order} ${limit}`.pipe(
        Effect.mapError(storeError("read events"))
      )
      const decoded = yield* decodeEventRows("event row")(rows)
      const stored = yield* Effect.forEach(decoded, toStored)
      return stored
    })

  const lastSeq = sql<{ value: number }>`SELECT value FROM event_sequence WHERE id = 1`.pipe(
    Effect.map((rows) => rows[0]?.value ?? 0),
    Effect.mapError(storeError("read the sequence"))
  )

  const changesSince = (afterSeq: number) =>
    sql<{ type: string; seq: number }>`SELECT type, MAX(seq) AS seq FROM events WHERE seq > ${afterSeq} GROUP BY type`.pipe(
      Effect.map((rows) => ({ lastSeq: rows.reduce((last, row) => Math.max(last, row.seq), afterSeq), types: new Set(rows.map((row) => row.type)) })),
      Effect.mapError(storeError("read what changed"))
    )

  const query = <A>(
    operation: string,
    decode: RowsDecoder<A>,
    statement: Effect.Effect<ReadonlyArray<unknown>, SqlError>
  ) => Effect.flatMap(Effect.mapError(statement, storeError(operation)), decode(operation))

  const run = (statement: Statement) => runStatement(sql, statement)

  const sessions = (filter: { readonly state?: string; readonly live?: boolean }) => query("list sessions", decodeSessionRows, run(sessionsStatement(filter)))

  const session = (id: string) => Effect.map(query("read a session", decodeSessionRows, run(sessionStatement(id))), Arr.head)

  const workItemSessions = (workItemId: string) => query("list a work item's sessions", decodeSessionRows, run(workItemSessionsStatement(workItemId)))

  const ticketConditions = (filter: Omit<TicketFilter, "limit">) =>
    sql.and([
      filter.provider === undefined ? sql`1 = 1` : sql`provider = ${filter.provider}`,
      filter.includeUnlisted === true ? sql`1 = 1` : sql`listed = 1`,
      filter.state === undefined ? sql`1 = 1` : sql`lower(state_name) = lower(${filter.state})`
    ])

  const tickets = (filter: TicketFilter) =>
    Effect.flatMap(
      query(
        "list tickets",
        decodeTicketRows,
        sql`SELECT data FROM tickets WHERE ${ticketConditions(filter)} ORDER BY ${sql.literal(ticketListOrder)} ${
          filter.limit === undefined ? sql`` : sql`LIMIT ${filter.limit}`
        }`
      ),
      decodeTickets
    )

  const ticketCount = (filter: Omit<TicketFilter, "limit">) =>
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM tickets WHERE ${ticketConditions(filter)}`.pipe(
      Effect.map((rows) => rows[0]?.n ?? 0),
      Effect.mapError(storeError("count tickets"))
    )

  const ticket = (id: string) =>
    Effect.map(Effect.flatMap(query("read a ticket", decodeTicketRows, sql`SELECT data FROM tickets WHERE id = ${id}`), decodeTickets), Arr.head)

  const workItems = query("list work items", decodeWorkItemRows, sql`SELECT * FROM work_items ORDER BY created_at, id`)
  const workItemsIn = (states: ReadonlyArray<string>) =>
    states.length === 0
      ? Effect.succeed([])
      : query("list work items by state", decodeWorkItemRows, sql`SELECT * FROM work_items WHERE state IN ${sql.in(states)} ORDER BY created_at, id`)
  // Two index seeks per finished work item (events_work_item); the open ones come from work_items_state.
  const workItemsForTrackerRepair = query(
    "list work items for a tracker repair",
    decodeWorkItemRows,
    sql`SELECT w.* FROM work_items w WHERE w.state NOT IN ('Done', 'Abandoned')
        OR COALESCE((SELECT MAX(seq) FROM events e WHERE e.work_item_id = w.id AND e.type = 'WorkflowTransition'), 0)
          > COALESCE((SELECT MAX(seq) FROM events e WHERE e.work_item_id = w.id AND e.type = 'TrackerUpdated'), 0)
        ORDER BY w.created_at, w.id`
  )
  const workItem = (id: string) => Effect.map(query("read a work item", decodeWorkItemRows, sql`SELECT * FROM work_items WHERE id = ${id}`), Arr.head)
  const workItemForTicket = (id: string) =>
    Effect.map(
      query("read a work item", decodeWorkItemRows, sql`SELECT * FROM work_items WHERE ticket_id = ${id} ORDER BY created_at DESC LIMIT 1`),
      Arr.head
    )
  const worktree = (workItemId: string) =>
    Effect.map(query("read a worktree", decodeWorktreeRows, sql`SELECT * FROM worktrees WHERE work_item_id = ${workItemId}`), Arr.head)
  const artifacts = (filter: { readonly workItemId?: string; readonly sessionId?: string }) =>
    query(
      "list artifacts",
      decodeArtifactRows,
      sql`SELECT * FROM artifacts WHERE ${sql.and([
        filter.workItemId === undefined ? sql`1 = 1` : sql`work_item_id = ${filter.workItemId}`,
        filter.sessionId === undefined ? sql`1 = 1` : sql`session_id = ${filter.sessionId}`
      ])} ORDER BY created_at, id`
    )
  const harnessBinding = (sessionId: string) =>
    Effect.map(
      query("read a harness binding", decodeBindingRows, sql`SELECT * FROM harness_bindings WHERE session_id = ${sessionId}`),
      (rows) =>
        Option.map(Arr.head(rows), (row) => ({
          sessionId: row.session_id,
          harness: row.harness,
          harnessSessionId: row.harness_session_id,
          boundAt: row.bound_at
        }))
    )
  const inbox = (filter: { readonly openOnly: boolean }) =>
    Effect.map(
      query(
        "list the inbox",
        decodeInboxRows,
        filter.openOnly
          ? sql.unsafe(openInboxStatement)
          : sql`SELECT * FROM inbox_items ORDER BY urgency DESC, created_at`
      ),
      Arr.map((row) => ({
        id: row.id,
        workItemId: row.work_item_id,
        sessionId: row.session_id,
        lane: row.lane,
        urgency: row.urgency,
        title: row.title,
        body: row.body,
        requestId: row.request_id,
        createdAt: row.created_at,
        resolvedAt: row.resolved_at,
        resolution: row.resolution
      }))
    )

  const REPLAY_PAGE = 1000
  const rebuildProjections = Effect.gen(function* () {
    // The sequence's lock first, as an append takes it: no append projects while the tables are redone.
    yield* sql`UPDATE event_sequence SET value = value WHERE id = 1`
    for (const table of projectionTables) yield* sql`DELETE FROM ${sql(table)}`
    let after = 0
    while (true) {
      const rows = yield* sql`SELECT seq, at, ${payloadColumn} FROM events WHERE seq > ${after} ORDER BY seq LIMIT ${REPLAY_PAGE}`.pipe(
        Effect.mapError(storeError("replay events"))
      )
      const decoded = yield* decodeEventRows("event row")(rows)
      const last = decoded[decoded.length - 1]
      if (last === undefined) break
      // Skipping never fails on a stale move; the catch only narrows the type.
      yield* project(sql, yield* Effect.forEach(decoded, toStored), "skip").pipe(Effect.catchTag("StaleState", () => Effect.void))
      after = last.seq
    }
  }).pipe(
    transaction,
    Effect.catchTag("SqlError", (error) => Effect.fail(storeError("rebuild projections")(error)))
  )

  const recordRunner = (row: RunnerRow) =>
    sql`INSERT INTO runners (name, host, pid, projects, max_sessions, started_at, seen_at)
      VALUES (${row.name}, ${row.host}, ${row.pid}, ${JSON.stringify(row.projects)}, ${row.maxSessions}, ${row.startedAt}, ${row.seenAt})
      ON CONFLICT (name) DO UPDATE SET host = excluded.host, pid = excluded.pid, projects = excluded.projects,
        max_sessions = excluded.max_sessions, started_at = excluded.started_at, seen_at = excluded.seen_at`.pipe(
      Effect.asVoid,
      Effect.mapError(storeError("record a runner"))
    )
  const runners = query("list runners", decodeRunnerRows, sql`SELECT * FROM runners ORDER BY name`)

  const prune = (before: number) =>
    sql<{ n: number }>`DELETE FROM events WHERE session_id IN (
        SELECT id FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ${before}
      ) RETURNING 1 AS n`.pipe(
      Effect.map((rows) => rows.length),
      Effect.mapError(storeError("prune"))
    )

  return EventStore.of({
    append,
    appendDecided,
    appendNumbered,
    acquireLease: lease.acquireLease,
    releaseLease: lease.releaseLease,
    watchLease: lease.watchLease,
    events,
    lastSeq,
    changesSince,
    sessions,
    session,
    workItemSessions,
    tickets,
    ticketCount,
    ticket,
    workItems,
    workItemsIn,
    workItemsForTrackerRepair,
    workItem,
    workItemForTicket,
    worktree,
    artifacts,
    harnessBinding,
    inbox,
    rebuildProjections,
    recordRunner,
    runners,
    prune
  })
})

/** The store over whatever SqlClient is provided, SQLite or PostgreSQL (migrated by `makeSqlite` or `makePostgres`). */
export const EventStoreLive = Layer.scoped(EventStore, makeEventStore)

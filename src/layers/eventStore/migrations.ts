import { SqlClient } from "@effect/sql"
import * as Migrator from "@effect/sql/Migrator"
import { Effect } from "effect"
import { intType, jsonType } from "./dialect.js"

/** Migrations live in code (not files) so they survive bundling. Ids are `<n>_<name>`. */
const events = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const int = intType(sql)
  yield* sql`CREATE TABLE events (
    seq ${int} PRIMARY KEY,
    at ${int} NOT NULL,
    type TEXT NOT NULL,
    ticket_id TEXT,
    work_item_id TEXT,
    session_id TEXT,
    payload ${jsonType(sql)} NOT NULL,
    schema_version ${int} NOT NULL
  )`
  yield* sql`CREATE INDEX events_session ON events (session_id, seq) WHERE session_id IS NOT NULL`
  yield* sql`CREATE INDEX events_work_item ON events (work_item_id, seq) WHERE work_item_id IS NOT NULL`
  yield* sql`CREATE INDEX events_ticket ON events (ticket_id, seq) WHERE ticket_id IS NOT NULL`
  // One row holding the last sequence number handed out: bumped first in every append transaction,
  // so the sequence stays gap-free even across processes and after pruning.
  yield* sql`CREATE TABLE event_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value ${int} NOT NULL)`
  yield* sql`INSERT INTO event_sequence (id, value) VALUES (1, 0)`
})

const projections = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const int = intType(sql)
  yield* sql`CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    identifier TEXT NOT NULL,
    title TEXT NOT NULL,
    state_name TEXT NOT NULL,
    state_type TEXT NOT NULL,
    priority ${int} NOT NULL,
    project TEXT,
    team TEXT,
    updated_at ${int} NOT NULL,
    listed ${int} NOT NULL,
    data TEXT NOT NULL
  )`
  yield* sql`CREATE TABLE work_items (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    repo_path TEXT NOT NULL,
    state TEXT NOT NULL,
    pr_url TEXT,
    pr_number ${int},
    created_at ${int} NOT NULL,
    updated_at ${int} NOT NULL
  )`
  yield* sql`CREATE INDEX work_items_ticket ON work_items (ticket_id)`
  yield* sql`CREATE TABLE worktrees (
    work_item_id TEXT PRIMARY KEY,
    repo_path TEXT NOT NULL,
    path TEXT NOT NULL,
    branch TEXT NOT NULL,
    base_branch TEXT NOT NULL,
    removed_at ${int}
  )`
  yield* sql`CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    work_item_id TEXT,
    ticket_id TEXT,
    harness TEXT NOT NULL,
    model TEXT,
    worktree_path TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at ${int} NOT NULL,
    last_activity_at ${int} NOT NULL,
    event_count ${int} NOT NULL,
    ended_at ${int}
  )`
  yield* sql`CREATE TABLE artifacts (
    id TEXT PRIMARY KEY,
    work_item_id TEXT,
    session_id TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    uri TEXT,
    created_at ${int} NOT NULL
  )`
  yield* sql`CREATE TABLE harness_bindings (
    session_id TEXT PRIMARY KEY,
    harness TEXT NOT NULL,
    harness_session_id TEXT NOT NULL,
    bound_at ${int} NOT NULL
  )`
  yield* sql`CREATE TABLE inbox_items (
    id TEXT PRIMARY KEY,
    work_item_id TEXT,
    session_id TEXT,
    lane TEXT NOT NULL,
    urgency ${int} NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    request_id TEXT,
    created_at ${int} NOT NULL,
    resolved_at ${int},
    resolution TEXT
  )`
})

/** "The session of a work item" and "sessions by activity" without a scan or a sort. */
const sessionIndexes = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX sessions_work_item ON sessions (work_item_id, last_activity_at) WHERE work_item_id IS NOT NULL`
})

/**
 * Numbers handed out inside the write transaction that uses them (local ticket keys), so two
 * processes never get the same one. A store made before this starts after its highest local ticket.
 */
const idSequences = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const int = intType(sql)
  yield* sql`CREATE TABLE id_sequences (name TEXT PRIMARY KEY, value ${int} NOT NULL)`
  yield* sql`INSERT INTO id_sequences (name, value)
    SELECT 'local_ticket', MAX(CAST(substr(id, 7) AS INTEGER)) FROM tickets WHERE id LIKE 'local:%'
    HAVING MAX(CAST(substr(id, 7) AS INTEGER)) IS NOT NULL`
})

/** The one `run` that owns the store: at most one row, taken and released in a transaction. */
const storeLease = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const int = intType(sql)
  yield* sql`CREATE TABLE store_lease (
    id ${int} PRIMARY KEY CHECK (id = 1),
    pid ${int} NOT NULL,
    host TEXT NOT NULL,
    since ${int} NOT NULL,
    token TEXT NOT NULL
  )`
})

/**
 * The projection reads in their own order, so a long history is neither scanned nor sorted: tickets in
 * list order (all listed, or one provider's), work items by state, artifacts by work item, open inbox
 * items by urgency. The ticket terms repeat ticketListOrder (projectionOrder.ts) exactly, `priority = 0` included.
 */
const projectionIndexes = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // PostgreSQL wants an expression in an index's column list in parentheses; SQLite's plan test matches the bare form.
  const noPriority = sql.literal(sql.onDialectOrElse({ pg: () => "(priority = 0)", orElse: () => "priority = 0" }))
  yield* sql`CREATE INDEX tickets_list ON tickets (listed, ${noPriority}, priority, updated_at DESC, id)`
  yield* sql`CREATE INDEX tickets_provider_list ON tickets (provider, listed, ${noPriority}, priority, updated_at DESC, id)`
  yield* sql`CREATE INDEX work_items_state ON work_items (state, created_at, id)`
  yield* sql`CREATE INDEX artifacts_work_item ON artifacts (work_item_id, created_at, id) WHERE work_item_id IS NOT NULL`
  yield* sql`CREATE INDEX inbox_open ON inbox_items (urgency DESC, created_at) WHERE resolved_at IS NULL`
})

/** The newest event of a type (the ticket sync's checkpoint) without walking back through the log. */
const eventsByType = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX events_type ON events (type, seq)`
})

/** The runners of a cluster, each refreshing its own row (projects as JSON text on both dialects). */
const runners = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const int = intType(sql)
  yield* sql`CREATE TABLE runners (
    name TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid ${int} NOT NULL,
    projects TEXT NOT NULL,
    max_sessions ${int} NOT NULL,
    started_at ${int} NOT NULL,
    seen_at ${int} NOT NULL
  )`
})

export const migrationLoader = Migrator.fromRecord({
  "1_events": events,
  "2_projections": projections,
  "3_session_indexes": sessionIndexes,
  "4_id_sequences": idSequences,
  "5_store_lease": storeLease,
  "6_projection_indexes": projectionIndexes,
  "7_events_by_type": eventsByType,
  "8_runners": runners
})

/** The projection tables, in the order a rebuild clears them. */
export const projectionTables = [
  "tickets",
  "work_items",
  "worktrees",
  "sessions",
  "artifacts",
  "harness_bindings",
  "inbox_items"
] as const

export const runMigrations = Migrator.make({})({ loader: migrationLoader })

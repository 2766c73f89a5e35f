// The sessions projection query, in plain SQL so that the event store layer and the quick start
// path (src/quick.ts) read sessions with one statement and one mapping.

/** The migration the projections below need: bump it with every new migration (a test checks). */
export const latestMigrationId = 8

/** The table @effect/sql's Migrator records applied migrations in. */
export const migrationsTable = "effect_sql_migrations"

const sessionSelect = `SELECT s.id, s.work_item_id, s.ticket_id, t.identifier AS ticket_identifier, s.harness, s.model,
    s.worktree_path, s.state, w.state AS workflow_state, w.pr_url, b.harness_session_id, s.created_at,
    s.last_activity_at, s.event_count
  FROM sessions s
  LEFT JOIN work_items w ON w.id = s.work_item_id
  LEFT JOIN tickets t ON t.id = s.ticket_id
  LEFT JOIN harness_bindings b ON b.session_id = s.id`

/** A statement with positional (`?`) parameters. */
export interface Statement {
  readonly text: string
  readonly params: ReadonlyArray<string>
}

/** Every session, those in one state, or (`live`) those not ended (terminalSessionStates); most recently active first. */
export const sessionsStatement = (filter: { readonly state?: string; readonly live?: boolean }): Statement =>
  filter.state !== undefined
    ? { text: `${sessionSelect} WHERE s.state = ? ORDER BY s.last_activity_at DESC, s.id`, params: [filter.state] }
    : filter.live === true
      ? { text: `${sessionSelect} WHERE s.state NOT IN ('Done', 'Crashed', 'Killed') ORDER BY s.last_activity_at DESC, s.id`, params: [] }
      : { text: `${sessionSelect} ORDER BY s.last_activity_at DESC, s.id`, params: [] }

export const sessionStatement = (id: string): Statement => ({ text: `${sessionSelect} WHERE s.id = ?`, params: [id] })

/** One work item's sessions, most recently active first (indexed: no scan of every session). */
export const workItemSessionsStatement = (workItemId: string): Statement => ({
  text: `${sessionSelect} WHERE s.work_item_id = ? ORDER BY s.last_activity_at DESC, s.id`,
  params: [workItemId]
})

/** A row of the statements above, as SQLite returns it. */
export interface SessionDbRow {
  readonly id: string
  readonly work_item_id: string | null
  readonly ticket_id: string | null
  readonly ticket_identifier: string | null
  readonly harness: string
  readonly model: string | null
  readonly worktree_path: string
  readonly state: string
  readonly workflow_state: string | null
  readonly pr_url: string | null
  readonly harness_session_id: string | null
  readonly created_at: number
  readonly last_activity_at: number
  readonly event_count: number
}

/** A session in the model's field names (domain/session.ts `SessionRow`), not yet validated. */
export interface SessionFields {
  readonly id: string
  readonly workItemId: string | null
  readonly ticketId: string | null
  readonly ticketIdentifier: string | null
  readonly harness: string
  readonly model: string | null
  readonly worktreePath: string
  readonly state: string
  readonly workflowState: string | null
  readonly pullRequestUrl: string | null
  readonly harnessSessionId: string | null
  readonly createdAt: number
  readonly lastActivityAt: number
  readonly eventCount: number
}

export const sessionFieldsFromDb = (row: SessionDbRow): SessionFields => ({
  id: row.id,
  workItemId: row.work_item_id,
  ticketId: row.ticket_id,
  ticketIdentifier: row.ticket_identifier,
  harness: row.harness,
  model: row.model,
  worktreePath: row.worktree_path,
  state: row.state,
  workflowState: row.workflow_state,
  pullRequestUrl: row.pr_url,
  harnessSessionId: row.harness_session_id,
  createdAt: row.created_at,
  lastActivityAt: row.last_activity_at,
  eventCount: row.event_count
})

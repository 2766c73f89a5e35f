import type { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { DomainEvent, StoredEvent } from "../../domain/events.js"
import { isTerminalSessionState } from "../../domain/session.js"
import { StaleState } from "../../domain/workflowErrors.js"

type Sql = SqlClient.SqlClient

/** Session activity folded over a run of SessionEvents: one UPDATE per session per batch. */
interface Activity {
  count: number
  lastAt: number
}

/**
 * How a move whose `from` is not the work item's current state is met: an append refuses it (the
 * transaction rolls back), a replay of an old log skips it (logs written before the check existed
 * may hold such a duplicate; it was never the truth).
 */
export type StaleMoves = "refuse" | "skip"

/** A move applies only from the state it names: compare-and-set in the projection itself. */
const projectMove = (sql: Sql, stored: StoredEvent & { event: { _tag: "WorkflowTransition" } }, stale: StaleMoves) =>
  Effect.gen(function* () {
    const { at, event } = stored
    const moved = yield* sql<{ id: string }>`UPDATE work_items SET state = ${event.to}, updated_at = ${at}
      WHERE id = ${event.workItemId} AND state = ${event.from} RETURNING id`
    if (moved.length > 0 || stale === "skip") return
    const found = yield* sql<{ state: string }>`SELECT state FROM work_items WHERE id = ${event.workItemId}`
    return yield* new StaleState({ workItemId: event.workItemId, expected: event.from, actual: found[0]?.state ?? "missing" })
  })

const projectOne = (sql: Sql, stored: StoredEvent, stale: StaleMoves): Effect.Effect<unknown, SqlError | StaleState> => {
  const { at, event } = stored
  switch (event._tag) {
    case "TicketSynced": {
      const t = event.ticket
      return sql`INSERT INTO tickets (id, provider, identifier, title, state_name, state_type, priority, project, team, updated_at, listed, data)
        VALUES (${t.id}, ${t.provider}, ${t.identifier}, ${t.title}, ${t.state.name}, ${t.state.type}, ${t.priority}, ${t.project}, ${t.team}, ${t.updatedAt}, 1, ${JSON.stringify(t)})
        ON CONFLICT (id) DO UPDATE SET provider = excluded.provider, identifier = excluded.identifier, title = excluded.title,
          state_name = excluded.state_name, state_type = excluded.state_type, priority = excluded.priority,
          project = excluded.project, team = excluded.team, updated_at = excluded.updated_at, listed = 1, data = excluded.data`
    }
    case "TicketUnlisted":
      return sql`UPDATE tickets SET listed = 0 WHERE id = ${event.ticketId}`
    case "WorkItemCreated":
      return sql`INSERT INTO work_items (id, ticket_id, repo_path, state, pr_url, pr_number, created_at, updated_at)
        VALUES (${event.workItemId}, ${event.ticketId}, ${event.repoPath}, 'New', NULL, NULL, ${at}, ${at}) ON CONFLICT DO NOTHING`
    case "WorktreeCreated":
      return sql`INSERT INTO worktrees (work_item_id, repo_path, path, branch, base_branch, removed_at)
        VALUES (${event.workItemId}, ${event.repoPath}, ${event.path}, ${event.branch}, ${event.baseBranch}, NULL)
        ON CONFLICT (work_item_id) DO UPDATE SET repo_path = excluded.repo_path, path = excluded.path,
          branch = excluded.branch, base_branch = excluded.base_branch, removed_at = NULL`
    case "WorktreeRemoved":
      return sql`UPDATE worktrees SET removed_at = ${at} WHERE work_item_id = ${event.workItemId}`
    case "SessionSpawned":
      return sql`INSERT INTO sessions (id, work_item_id, ticket_id, harness, model, worktree_path, state, created_at, last_activity_at, event_count, ended_at)
        VALUES (${event.sessionId}, ${event.workItemId}, ${event.ticketId}, ${event.harness}, ${event.model}, ${event.worktreePath}, 'Starting', ${at}, ${at}, 0, NULL) ON CONFLICT DO NOTHING`
    case "SessionStateChanged":
      return isTerminalSessionState(event.to)
        ? sql`UPDATE sessions SET state = ${event.to}, last_activity_at = ${at}, ended_at = COALESCE(ended_at, ${at}) WHERE id = ${event.sessionId}`
        : sql`UPDATE sessions SET state = ${event.to}, last_activity_at = ${at} WHERE id = ${event.sessionId}`
    case "HarnessBound":
      return sql`INSERT INTO harness_bindings (session_id, harness, harness_session_id, bound_at)
        VALUES (${event.sessionId}, ${event.harness}, ${event.harnessSessionId}, ${at})
        ON CONFLICT (session_id) DO UPDATE SET harness = excluded.harness, harness_session_id = excluded.harness_session_id, bound_at = excluded.bound_at`
    case "WorkflowTransition":
      return projectMove(sql, { at, seq: stored.seq, event }, stale)
    case "ArtifactCreated":
      return Effect.gen(function* () {
        yield* sql`INSERT INTO artifacts (id, work_item_id, session_id, kind, title, uri, created_at)
          VALUES (${event.artifactId}, ${event.workItemId}, ${event.sessionId}, ${event.kind}, ${event.title}, ${event.uri}, ${at}) ON CONFLICT DO NOTHING`
        if (event.kind === "pullRequest" && event.workItemId !== null && event.uri !== null) {
          yield* sql`UPDATE work_items SET pr_url = ${event.uri}, updated_at = ${at} WHERE id = ${event.workItemId}`
        }
      })
    case "PullRequestObserved":
      return sql`UPDATE work_items SET pr_url = ${event.url}, pr_number = ${event.number}, updated_at = ${at} WHERE id = ${event.workItemId}`
    case "InboxItemCreated":
      return sql`INSERT INTO inbox_items (id, work_item_id, session_id, lane, urgency, title, body, request_id, created_at, resolved_at, resolution)
        VALUES (${event.inboxItemId}, ${event.workItemId}, ${event.sessionId}, ${event.lane}, ${event.urgency}, ${event.title}, ${event.body}, ${event.requestId}, ${at}, NULL, NULL) ON CONFLICT DO NOTHING`
    case "InboxItemResolved":
      return sql`UPDATE inbox_items SET resolved_at = COALESCE(resolved_at, ${at}), resolution = COALESCE(resolution, ${event.resolution}) WHERE id = ${event.inboxItemId}`
    case "UserResponded":
    case "AgentInstructed":
      return sql`UPDATE sessions SET last_activity_at = ${at} WHERE id = ${event.sessionId}`
    case "SessionEvent":
    case "SupervisorQueryStarted":
    case "SupervisorQueryChunk":
    case "SupervisorToolCalled":
    case "SupervisorQueryFinished":
    case "TrackerUpdated":
    case "TicketSyncCheckpoint":
      return Effect.void
  }
}

const isSessionEvent = (event: DomainEvent): event is Extract<DomainEvent, { _tag: "SessionEvent" }> =>
  event._tag === "SessionEvent"

/**
 * Applies events to the projections, in order. Worker events only touch their session's counters,
 * so they are folded into one UPDATE per session for the whole batch.
 */
export const project = (sql: Sql, events: ReadonlyArray<StoredEvent>, stale: StaleMoves): Effect.Effect<void, SqlError | StaleState> =>
  Effect.gen(function* () {
    const activity = new Map<string, Activity>()
    for (const stored of events) {
      if (isSessionEvent(stored.event)) {
        const current = activity.get(stored.event.sessionId)
        if (current === undefined) activity.set(stored.event.sessionId, { count: 1, lastAt: stored.at })
        else {
          current.count += 1
          current.lastAt = Math.max(current.lastAt, stored.at)
        }
        continue
      }
      yield* projectOne(sql, stored, stale)
    }
    if (activity.size > 0) {
      // One statement for the whole batch, however many sessions it touches.
      const sessions = [...activity]
      yield* sql.onDialectOrElse({
        // VALUES gives its parameters no type on PostgreSQL: the arrays carry theirs.
        pg: () => sql`UPDATE sessions SET event_count = sessions.event_count + d.n, last_activity_at = GREATEST(sessions.last_activity_at, d.at)
          FROM unnest(${sessions.map(([id]) => id)}::text[], ${sessions.map(([, a]) => a.count)}::bigint[], ${sessions.map(([, a]) => a.lastAt)}::bigint[]) AS d(id, n, at)
          WHERE sessions.id = d.id`,
        orElse: () => sql`WITH d(id, n, at) AS (VALUES ${sql.csv(sessions.map(([id, { count, lastAt }]) => sql`(${id}, ${count}, ${lastAt})`))})
        UPDATE sessions SET
          event_count = event_count + (SELECT n FROM d WHERE d.id = sessions.id),
          last_activity_at = MAX(last_activity_at, (SELECT at FROM d WHERE d.id = sessions.id))
        WHERE id IN (SELECT id FROM d)`
      })
    }
  })

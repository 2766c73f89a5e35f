import { Schema } from "effect"
import { InboxLane } from "../../domain/events.js"
import { InboxItemId, SessionId, TicketId, WorkItemId } from "../../domain/ids.js"
import { RunnerRow } from "../../domain/runner.js"
import { SessionRow } from "../../domain/session.js"
import { Artifact, WorkItem, Worktree } from "../../domain/workItem.js"
import { sessionFieldsFromDb } from "./sessionsQuery.js"

/** Row shapes as SQLite returns them, decoded into the domain's models. */

export const EventRow = Schema.Struct({ seq: Schema.Number, at: Schema.Number, payload: Schema.String })

export const SessionRowFromDb = Schema.Struct({
  id: Schema.String,
  work_item_id: Schema.NullOr(Schema.String),
  ticket_id: Schema.NullOr(Schema.String),
  ticket_identifier: Schema.NullOr(Schema.String),
  harness: Schema.String,
  model: Schema.NullOr(Schema.String),
  worktree_path: Schema.String,
  state: Schema.String,
  workflow_state: Schema.NullOr(Schema.String),
  pr_url: Schema.NullOr(Schema.String),
  harness_session_id: Schema.NullOr(Schema.String),
  created_at: Schema.Number,
  last_activity_at: Schema.Number,
  event_count: Schema.Number
}).pipe(
  Schema.transform(SessionRow, {
    strict: false,
    decode: sessionFieldsFromDb,
    encode: (session) => ({
      id: session.id,
      work_item_id: session.workItemId,
      ticket_id: session.ticketId,
      ticket_identifier: session.ticketIdentifier,
      harness: session.harness,
      model: session.model,
      worktree_path: session.worktreePath,
      state: session.state,
      workflow_state: session.workflowState,
      pr_url: session.pullRequestUrl,
      harness_session_id: session.harnessSessionId,
      created_at: session.createdAt,
      last_activity_at: session.lastActivityAt,
      event_count: session.eventCount
    })
  })
)

export const WorkItemFromDb = Schema.Struct({
  id: WorkItemId,
  ticket_id: TicketId,
  repo_path: Schema.String,
  state: Schema.String,
  pr_url: Schema.NullOr(Schema.String),
  pr_number: Schema.NullOr(Schema.Number),
  created_at: Schema.Number,
  updated_at: Schema.Number
}).pipe(
  Schema.transform(WorkItem, {
    strict: false,
    decode: (row) => ({
      id: row.id,
      ticketId: row.ticket_id,
      repoPath: row.repo_path,
      state: row.state,
      pullRequestUrl: row.pr_url,
      pullRequestNumber: row.pr_number,
      createdAt: row.created_at,
      updatedAt: row.updated_at
    }),
    encode: (item) => ({
      id: item.id,
      ticket_id: item.ticketId,
      repo_path: item.repoPath,
      state: item.state,
      pr_url: item.pullRequestUrl,
      pr_number: item.pullRequestNumber,
      created_at: item.createdAt,
      updated_at: item.updatedAt
    })
  })
)

export const WorktreeFromDb = Schema.Struct({
  work_item_id: WorkItemId,
  repo_path: Schema.String,
  path: Schema.String,
  branch: Schema.String,
  base_branch: Schema.String,
  removed_at: Schema.NullOr(Schema.Number)
}).pipe(
  Schema.transform(Worktree, {
    strict: false,
    decode: (row) => ({
      workItemId: row.work_item_id,
      repoPath: row.repo_path,
      path: row.path,
      branch: row.branch,
      baseBranch: row.base_branch,
      removedAt: row.removed_at
    }),
    encode: (tree) => ({
      work_item_id: tree.workItemId,
      repo_path: tree.repoPath,
      path: tree.path,
      branch: tree.branch,
      base_branch: tree.baseBranch,
      removed_at: tree.removedAt
    })
  })
)

export const ArtifactFromDb = Schema.Struct({
  id: Schema.String,
  work_item_id: Schema.NullOr(Schema.String),
  session_id: Schema.NullOr(Schema.String),
  kind: Schema.String,
  title: Schema.String,
  uri: Schema.NullOr(Schema.String),
  created_at: Schema.Number
}).pipe(
  Schema.transform(Artifact, {
    strict: false,
    decode: (row) => ({
      id: row.id,
      workItemId: row.work_item_id,
      sessionId: row.session_id,
      kind: row.kind,
      title: row.title,
      uri: row.uri,
      createdAt: row.created_at
    }),
    encode: (artifact) => ({
      id: artifact.id,
      work_item_id: artifact.workItemId,
      session_id: artifact.sessionId,
      kind: artifact.kind,
      title: artifact.title,
      uri: artifact.uri,
      created_at: artifact.createdAt
    })
  })
)

export const HarnessBindingFromDb = Schema.Struct({
  session_id: SessionId,
  harness: Schema.String,
  harness_session_id: Schema.String,
  bound_at: Schema.Number
})

export const InboxItemFromDb = Schema.Struct({
  id: InboxItemId,
  work_item_id: Schema.NullOr(WorkItemId),
  session_id: Schema.NullOr(SessionId),
  lane: InboxLane,
  urgency: Schema.Number,
  title: Schema.String,
  body: Schema.String,
  request_id: Schema.NullOr(Schema.String),
  created_at: Schema.Number,
  resolved_at: Schema.NullOr(Schema.Number),
  resolution: Schema.NullOr(Schema.String)
})

export const TicketDataRow = Schema.Struct({ data: Schema.String })

export const RunnerFromDb = Schema.Struct({
  name: Schema.String,
  host: Schema.String,
  pid: Schema.Number,
  projects: Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String })),
  max_sessions: Schema.Number,
  started_at: Schema.Number,
  seen_at: Schema.Number
}).pipe(
  Schema.transform(RunnerRow, {
    strict: true,
    decode: (row) => ({
      name: row.name,
      host: row.host,
      pid: row.pid,
      projects: row.projects,
      maxSessions: row.max_sessions,
      startedAt: row.started_at,
      seenAt: row.seen_at
    }),
    encode: (row) => ({
      name: row.name,
      host: row.host,
      pid: row.pid,
      projects: row.projects,
      max_sessions: row.maxSessions,
      started_at: row.startedAt,
      seen_at: row.seenAt
    })
  })
)

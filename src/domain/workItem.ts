import { Schema } from "effect"
import { ArtifactId, EpochMillis, SessionId, TicketId, WorkItemId } from "./ids.js"
import { WorkflowState } from "./workflow.js"
import { ArtifactKind } from "./workerEvent.js"

/** One ticket = one work item = one worktree = one session. */
export class WorkItem extends Schema.Class<WorkItem>("WorkItem")({
  id: WorkItemId,
  ticketId: TicketId,
  repoPath: Schema.String,
  state: WorkflowState,
  pullRequestUrl: Schema.NullOr(Schema.String),
  pullRequestNumber: Schema.NullOr(Schema.Number),
  createdAt: EpochMillis,
  updatedAt: EpochMillis
}) {}

export class Worktree extends Schema.Class<Worktree>("Worktree")({
  workItemId: WorkItemId,
  repoPath: Schema.String,
  path: Schema.String,
  branch: Schema.String,
  baseBranch: Schema.String,
  removedAt: Schema.NullOr(EpochMillis)
}) {}

export class Artifact extends Schema.Class<Artifact>("Artifact")({
  id: ArtifactId,
  workItemId: Schema.NullOr(WorkItemId),
  sessionId: Schema.NullOr(SessionId),
  kind: ArtifactKind,
  title: Schema.String,
  uri: Schema.NullOr(Schema.String),
  createdAt: EpochMillis
}) {}

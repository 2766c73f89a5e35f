import { Schema } from "effect"
import { ArtifactId, EpochMillis, InboxItemId, QueryId, SessionId, TicketId, WorkItemId } from "./ids.js"
import { inboxLaneNames } from "./literals.js"
import { HarnessId, SessionState } from "./session.js"
import { Ticket, TicketProvider } from "./ticket.js"
import { WorkflowState } from "./workflow.js"
import { ArtifactKind, WorkerEvent } from "./workerEvent.js"

/** Bumped when a variant's stored shape changes; stored with every row. */
export const EVENT_SCHEMA_VERSION = 1

export class TicketSynced extends Schema.TaggedClass<TicketSynced>()("TicketSynced", {
  ticket: Ticket
}) {}

/** A ticket the provider no longer lists for us (reassigned, moved out of the synced states). */
export class TicketUnlisted extends Schema.TaggedClass<TicketUnlisted>()("TicketUnlisted", {
  ticketId: TicketId
}) {}

/**
 * Where the last complete tracker listing left off (programs/tickets/syncTickets.ts): the next sync
 * asks only for tickets changed since `highWater`, until a full listing is due. Written only when it
 * changes, so an unchanged re-sync writes nothing.
 */
export class TicketSyncCheckpoint extends Schema.TaggedClass<TicketSyncCheckpoint>()("TicketSyncCheckpoint", {
  provider: TicketProvider,
  /** The query the listings answered (assignee, states): another query starts over with a full listing. */
  scope: Schema.String,
  /** The newest `updatedAt` a complete listing has shown (the tracker's clock); null before any ticket. */
  highWater: Schema.NullOr(EpochMillis),
  /** When the last full listing was merged (this machine's clock). */
  fullAt: EpochMillis
}) {}

export class WorkItemCreated extends Schema.TaggedClass<WorkItemCreated>()("WorkItemCreated", {
  workItemId: WorkItemId,
  ticketId: TicketId,
  repoPath: Schema.String
}) {}

export class WorktreeCreated extends Schema.TaggedClass<WorktreeCreated>()("WorktreeCreated", {
  workItemId: WorkItemId,
  repoPath: Schema.String,
  path: Schema.String,
  branch: Schema.String,
  baseBranch: Schema.String
}) {}

export class WorktreeRemoved extends Schema.TaggedClass<WorktreeRemoved>()("WorktreeRemoved", {
  workItemId: WorkItemId,
  path: Schema.String,
  /** Where uncommitted work was saved before removal, if there was any. */
  savedRef: Schema.NullOr(Schema.String)
}) {}

export class SessionSpawned extends Schema.TaggedClass<SessionSpawned>()("SessionSpawned", {
  sessionId: SessionId,
  workItemId: Schema.NullOr(WorkItemId),
  ticketId: Schema.NullOr(TicketId),
  harness: HarnessId,
  model: Schema.NullOr(Schema.String),
  worktreePath: Schema.String
}) {}

export class SessionStateChanged extends Schema.TaggedClass<SessionStateChanged>()("SessionStateChanged", {
  sessionId: SessionId,
  from: SessionState,
  to: SessionState,
  reason: Schema.String
}) {}

/** The harness's own id for the session (Codex thread id, OpenCode session id): what resume needs. */
export class HarnessBound extends Schema.TaggedClass<HarnessBound>()("HarnessBound", {
  sessionId: SessionId,
  harness: HarnessId,
  harnessSessionId: Schema.String
}) {}

/** One normalized worker event of a session. */
export class SessionEvent extends Schema.TaggedClass<SessionEvent>()("SessionEvent", {
  sessionId: SessionId,
  event: WorkerEvent
}) {}

export class WorkflowTransition extends Schema.TaggedClass<WorkflowTransition>()("WorkflowTransition", {
  workItemId: WorkItemId,
  from: WorkflowState,
  to: WorkflowState,
  reason: Schema.String
}) {}

export class ArtifactCreated extends Schema.TaggedClass<ArtifactCreated>()("ArtifactCreated", {
  artifactId: ArtifactId,
  workItemId: Schema.NullOr(WorkItemId),
  sessionId: Schema.NullOr(SessionId),
  kind: ArtifactKind,
  title: Schema.String,
  uri: Schema.NullOr(Schema.String)
}) {}

export const InboxLane = Schema.Literal(...inboxLaneNames)
export type InboxLane = typeof InboxLane.Type

export class InboxItemCreated extends Schema.TaggedClass<InboxItemCreated>()("InboxItemCreated", {
  inboxItemId: InboxItemId,
  workItemId: Schema.NullOr(WorkItemId),
  sessionId: Schema.NullOr(SessionId),
  lane: InboxLane,
  /** Higher is more urgent. */
  urgency: Schema.Number,
  title: Schema.String,
  body: Schema.String,
  /** The harness request this item answers, when it is a question or an approval. */
  requestId: Schema.NullOr(Schema.String)
}) {}

export class InboxItemResolved extends Schema.TaggedClass<InboxItemResolved>()("InboxItemResolved", {
  inboxItemId: InboxItemId,
  resolution: Schema.String
}) {}

export class UserResponded extends Schema.TaggedClass<UserResponded>()("UserResponded", {
  sessionId: SessionId,
  kind: Schema.Literal("message", "steer", "answer", "approval", "interrupt", "kill"),
  requestId: Schema.NullOr(Schema.String),
  text: Schema.String
}) {}

export const SupervisorScope = Schema.Union(
  Schema.TaggedStruct("Global", {}),
  Schema.TaggedStruct("Ticket", { ticketId: TicketId }),
  Schema.TaggedStruct("Session", { sessionId: SessionId })
)
export type SupervisorScope = typeof SupervisorScope.Type

export class SupervisorQueryStarted extends Schema.TaggedClass<SupervisorQueryStarted>()("SupervisorQueryStarted", {
  queryId: QueryId,
  question: Schema.String,
  scope: SupervisorScope
}) {}

/** Coalesced answer text, flushed every `chunk_event_flush_ms`. */
export class SupervisorQueryChunk extends Schema.TaggedClass<SupervisorQueryChunk>()("SupervisorQueryChunk", {
  queryId: QueryId,
  text: Schema.String
}) {}

export class SupervisorToolCalled extends Schema.TaggedClass<SupervisorToolCalled>()("SupervisorToolCalled", {
  queryId: QueryId,
  tool: Schema.String,
  arguments: Schema.String,
  result: Schema.String
}) {}

export class SupervisorQueryFinished extends Schema.TaggedClass<SupervisorQueryFinished>()("SupervisorQueryFinished", {
  queryId: QueryId,
  status: Schema.Literal("finished", "cancelled", "failed"),
  error: Schema.NullOr(Schema.String)
}) {}

/** What the PR pipeline last saw of a pull request; a repeat of the same state is not recorded. */
export class PullRequestObserved extends Schema.TaggedClass<PullRequestObserved>()("PullRequestObserved", {
  workItemId: WorkItemId,
  number: Schema.Number,
  url: Schema.String,
  state: Schema.Literal("OPEN", "CLOSED", "MERGED"),
  isDraft: Schema.Boolean,
  reviewDecision: Schema.String,
  /** pass | fail | pending | none: the rollup of the checks. */
  checks: Schema.Literal("pass", "fail", "pending", "none"),
  failingChecks: Schema.Array(Schema.Struct({ name: Schema.String, link: Schema.NullOr(Schema.String) })),
  headSha: Schema.NullOr(Schema.String)
}) {}

/** A change orchestrator made on the tracker (state, comment, link): recorded so a retry never repeats it. */
export class TrackerUpdated extends Schema.TaggedClass<TrackerUpdated>()("TrackerUpdated", {
  ticketId: TicketId,
  workItemId: Schema.NullOr(WorkItemId),
  action: Schema.Literal("state", "comment", "link", "description"),
  /** Idempotency key, e.g. `state:InReview` or `link:<url>`. */
  key: Schema.String,
  detail: Schema.String
}) {}

/** Orchestrator sent the agent an instruction of its own (CI failed, review comments, checkpoint). */
export class AgentInstructed extends Schema.TaggedClass<AgentInstructed>()("AgentInstructed", {
  sessionId: SessionId,
  workItemId: Schema.NullOr(WorkItemId),
  reason: Schema.Literal("ciFailed", "changesRequested", "checkpoint", "stallRetry", "workflow"),
  attempt: Schema.Number,
  text: Schema.String
}) {}

export const DomainEvent = Schema.Union(
  TicketSynced,
  TicketUnlisted,
  TicketSyncCheckpoint,
  WorkItemCreated,
  WorktreeCreated,
  WorktreeRemoved,
  SessionSpawned,
  SessionStateChanged,
  HarnessBound,
  SessionEvent,
  WorkflowTransition,
  ArtifactCreated,
  InboxItemCreated,
  InboxItemResolved,
  UserResponded,
  SupervisorQueryStarted,
  SupervisorQueryChunk,
  SupervisorToolCalled,
  SupervisorQueryFinished,
  PullRequestObserved,
  TrackerUpdated,
  AgentInstructed
)
export type DomainEvent = typeof DomainEvent.Type
export type DomainEventTag = DomainEvent["_tag"]

/** An event as the store holds it: its place in the global sequence and when it was appended. */
export interface StoredEvent {
  readonly seq: number
  readonly at: number
  readonly event: DomainEvent
}

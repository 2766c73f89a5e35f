// An agent session as an @effect/cluster entity, pinned to the runner whose disk holds its worktree:
// its id is `<runner>/<session id>` and its shard group `runner:<runner>`, a group only that runner is
// assigned, so the cluster places it there and nowhere else. Its events are a stream the coordinator
// reads, kept on the runner until read.
//
// Its commands (Start, Resume, Input, Interrupt, AnswerInput, AnswerApproval, Kill) are persisted
// messages (ClusterSchema.Persisted, kept in SqlMessageStorage until answered): one sent while its
// runner is down waits in storage for it, and one its runner died in is delivered again to the
// runner that comes back, where the session is no longer live; sessionHost.ts makes that safe (a
// Start spawns again, Kill of nothing does nothing, the others wait for the coordinator's Resume).
// Locate and Events stay volatile: Locate asks the live runner where it is, and nothing is left to
// redo when it is not; the event stream reads the runner's memory, which dies with it, and persisting
// it would write every chunk of events to the replies table.
//
// (Persisted commands once went unanswered for ever: the cluster's storage shared the event store's
// pool, whose BIGINT parser rounds the storage's 64-bit message ids. runner.ts now refuses such a pool.)
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"
import { ApprovalPolicy, SandboxMode } from "../../domain/config.js"
import { BinaryUnavailable, HarnessError } from "../../domain/errors.js"
import { SessionId } from "../../domain/ids.js"
import { WorkerEvent } from "../../domain/workerEvent.js"

/** The shard group of a runner: the one group its `orchestrator runner` process is assigned. */
export const runnerShardGroup = (runner: string) => `runner:${runner}`

/** The entity id of a session on a runner. */
export const agentSessionEntityId = (runner: string, sessionId: string) => `${runner}/${sessionId}`

/** The runner an entity id names (the part before the first `/`). */
export const runnerOfEntity = (entityId: string) => entityId.slice(0, Math.max(0, entityId.indexOf("/")))

/** Where a session's entity lives: the runner, its host and process. */
export class SessionPlacement extends Schema.Class<SessionPlacement>("SessionPlacement")({
  entityId: Schema.String,
  runner: Schema.String,
  host: Schema.String,
  pid: Schema.Number
}) {}

/** The harness's SessionSpec, with the worktree path local to the runner. */
export const RemoteSpec = Schema.Struct({
  sessionId: SessionId,
  worktreePath: Schema.String,
  model: Schema.NullOr(Schema.String),
  instructions: Schema.String,
  env: Schema.Record({ key: Schema.String, value: Schema.String }),
  approvalPolicy: ApprovalPolicy,
  sandbox: SandboxMode
})

/** A session opened on the runner; `attached` when it was already live there (a coordinator came back). */
export class Opened extends Schema.Class<Opened>("Opened")({
  harnessSessionId: Schema.String,
  attached: Schema.Boolean,
  /** A turn was running when a coordinator attached. */
  turnRunning: Schema.Boolean,
  /** Events the runner kept that no coordinator has read yet: they follow on the event stream. */
  unread: Schema.Number,
  /** An input the runner died in waits for this session (the cluster delivered it again): it runs next. */
  inputWaiting: Schema.Boolean
}) {}

/**
 * The runner has no live session by this id: it restarted since (its agents died with it). The
 * coordinator answers with Resume, which brings the session back from the harness's own history.
 */
export class SessionNotOnRunner extends Schema.TaggedError<SessionNotOnRunner>()("SessionNotOnRunner", {
  runner: Schema.String,
  operation: Schema.String
}) {
  override get message(): string {
    return `${this.operation}: the session is not live on runner ${this.runner}`
  }
}

const OpenFailure = Schema.Union(HarnessError, BinaryUnavailable)
const CommandFailure = Schema.Union(HarnessError, SessionNotOnRunner)

/** Where is this session hosted: answered by the entity itself, on the runner that hosts it. */
export const Locate = Rpc.make("Locate", { success: SessionPlacement })

/** Spawns the agent in the worktree; an already live session is returned as it is. */
export const Start = Rpc.make("Start", { payload: { spec: RemoteSpec }, success: Opened, error: OpenFailure }).annotate(ClusterSchema.Persisted, true)

/** Reattaches to the session: the live one when there is one, else the harness resumes it by its id. */
export const Resume = Rpc.make("Resume", { payload: { spec: RemoteSpec, harnessSessionId: Schema.String }, success: Opened, error: OpenFailure }).annotate(ClusterSchema.Persisted, true)

/** The session's events not yet read by a coordinator, then the live ones; ends after Done, Crashed or kill. */
export const Events = Rpc.make("Events", { success: WorkerEvent, error: CommandFailure, stream: true })

export const Input = Rpc.make("Input", { payload: { text: Schema.String }, error: CommandFailure }).annotate(ClusterSchema.Persisted, true)
export const Interrupt = Rpc.make("Interrupt", { error: CommandFailure }).annotate(ClusterSchema.Persisted, true)
export const AnswerInput = Rpc.make("AnswerInput", {
    payload: { requestId: Schema.String, answers: Schema.Record({ key: Schema.String, value: Schema.String }) },
    error: CommandFailure
  }).annotate(ClusterSchema.Persisted, true)
export const AnswerApproval = Rpc.make("AnswerApproval", {
    payload: { requestId: Schema.String, decision: Schema.Literal("accept", "acceptForSession", "decline") },
    error: CommandFailure
  }).annotate(ClusterSchema.Persisted, true)
export const Kill = Rpc.make("Kill").annotate(ClusterSchema.Persisted, true)

export const AgentSessionEntity = Entity.make("AgentSession", [
  Locate,
  Start,
  Resume,
  Events,
  Input,
  Interrupt,
  AnswerInput,
  AnswerApproval,
  Kill
]).annotate(ClusterSchema.ShardGroup, (entityId) => runnerShardGroup(runnerOfEntity(entityId)))

import { Schema } from "effect"

/**
 * The normalized worker event: one schema for every harness (SPEC §4).
 * Plain tagged structs without transformations, so the encoded form is the value itself.
 */

export const TextDelta = Schema.TaggedStruct("TextDelta", { itemId: Schema.String, text: Schema.String })
export const Message = Schema.TaggedStruct("Message", { itemId: Schema.String, text: Schema.String })
export const ReasoningDelta = Schema.TaggedStruct("ReasoningDelta", { itemId: Schema.String, text: Schema.String })
export const Reasoning = Schema.TaggedStruct("Reasoning", { itemId: Schema.String, text: Schema.String })

export const CommandStatus = Schema.Literal("running", "completed", "failed", "declined")
export const CommandExecution = Schema.TaggedStruct("CommandExecution", {
  itemId: Schema.String,
  command: Schema.String,
  cwd: Schema.NullOr(Schema.String),
  status: CommandStatus,
  output: Schema.String,
  exitCode: Schema.NullOr(Schema.Number)
})
export const CommandOutputDelta = Schema.TaggedStruct("CommandOutputDelta", {
  itemId: Schema.String,
  text: Schema.String
})

export const FileChangeKind = Schema.Literal("add", "delete", "update")
export const FileChange = Schema.TaggedStruct("FileChange", {
  itemId: Schema.String,
  status: Schema.Literal("proposed", "applied", "declined", "failed"),
  changes: Schema.Array(Schema.Struct({ path: Schema.String, kind: FileChangeKind }))
})

export const PlanStepStatus = Schema.Literal("pending", "in_progress", "completed")
export const PlanUpdated = Schema.TaggedStruct("PlanUpdated", {
  steps: Schema.Array(Schema.Struct({ step: Schema.String, status: PlanStepStatus }))
})

export const Checkpoint = Schema.TaggedStruct("Checkpoint", { summary: Schema.String })

export const InputOption = Schema.Struct({ label: Schema.String, description: Schema.NullOr(Schema.String) })
export const InputQuestion = Schema.Struct({
  id: Schema.String,
  question: Schema.String,
  options: Schema.Array(InputOption)
})
export const NeedsInput = Schema.TaggedStruct("NeedsInput", {
  requestId: Schema.String,
  questions: Schema.Array(InputQuestion)
})

export const ApprovalKind = Schema.Literal("command", "fileChange", "permission")
export const ApprovalRequested = Schema.TaggedStruct("ApprovalRequested", {
  requestId: Schema.String,
  kind: ApprovalKind,
  /** What would run or change, shown to the person verbatim. */
  subject: Schema.String,
  cwd: Schema.NullOr(Schema.String),
  reason: Schema.NullOr(Schema.String)
})

export const Blocked = Schema.TaggedStruct("Blocked", { reason: Schema.String })

export const ArtifactKind = Schema.Literal("diff", "pullRequest", "testRun", "link")
export const WorkerArtifact = Schema.TaggedStruct("WorkerArtifact", {
  kind: ArtifactKind,
  title: Schema.String,
  uri: Schema.NullOr(Schema.String),
  content: Schema.NullOr(Schema.String)
})

export const TokenUsage = Schema.Struct({
  input: Schema.Number,
  output: Schema.Number,
  total: Schema.Number
})
export type TokenUsage = typeof TokenUsage.Type

export const TurnStarted = Schema.TaggedStruct("TurnStarted", { turnId: Schema.String })
export const TurnStatus = Schema.Literal("completed", "interrupted", "failed")
export const TurnCompleted = Schema.TaggedStruct("TurnCompleted", {
  turnId: Schema.String,
  status: TurnStatus,
  /** Absolute totals for the session so far, when the harness reports them. */
  usage: Schema.NullOr(TokenUsage),
  error: Schema.NullOr(Schema.String)
})

export const Done = Schema.TaggedStruct("Done", { reason: Schema.String })
export const Crashed = Schema.TaggedStruct("Crashed", { reason: Schema.String })

export const WorkerEvent = Schema.Union(
  TextDelta,
  Message,
  ReasoningDelta,
  Reasoning,
  CommandExecution,
  CommandOutputDelta,
  FileChange,
  PlanUpdated,
  Checkpoint,
  NeedsInput,
  ApprovalRequested,
  Blocked,
  WorkerArtifact,
  TurnStarted,
  TurnCompleted,
  Done,
  Crashed
)
export type WorkerEvent = typeof WorkerEvent.Type
export type WorkerEventTag = WorkerEvent["_tag"]

/** Deltas are the streaming chunks the writer and the UI may coalesce. */
export const isDelta = (
  event: WorkerEvent
): event is Extract<WorkerEvent, { _tag: "TextDelta" | "ReasoningDelta" | "CommandOutputDelta" }> =>
  event._tag === "TextDelta" || event._tag === "ReasoningDelta" || event._tag === "CommandOutputDelta"

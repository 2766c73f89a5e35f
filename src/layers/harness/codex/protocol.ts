import { Schema } from "effect"

/**
 * The slice of `codex app-server` 0.169's JSON-RPC that orchestrator reads (checked against
 * `codex app-server generate-ts`). Unknown fields are ignored, so newer servers still decode.
 */

export const RequestId = Schema.Union(Schema.Number, Schema.String)
export type RequestId = typeof RequestId.Type

export const RpcErrorBody = Schema.Struct({ code: Schema.Number, message: Schema.String })

/** One line from the server, classified by which envelope fields it has. */
export const Incoming = Schema.Union(
  Schema.TaggedStruct("ServerRequest", { id: RequestId, method: Schema.String, params: Schema.optional(Schema.Unknown) }),
  Schema.TaggedStruct("Notification", { method: Schema.String, params: Schema.optional(Schema.Unknown) }),
  Schema.TaggedStruct("Failure", { id: RequestId, error: RpcErrorBody }),
  Schema.TaggedStruct("Success", { id: RequestId, result: Schema.Unknown })
)
export type Incoming = typeof Incoming.Type

/** Adds the tag the envelope implies, so one union decodes every line. */
export const tagIncoming = (value: unknown): unknown => {
  if (typeof value !== "object" || value === null) return value
  const has = (key: string) => key in value
  const _tag = has("method") ? (has("id") ? "ServerRequest" : "Notification") : has("error") ? "Failure" : "Success"
  return { ...value, _tag }
}

// --- results of our requests

export const ThreadResult = Schema.Struct({ thread: Schema.Struct({ id: Schema.String }) })
export const TurnResult = Schema.Struct({ turn: Schema.Struct({ id: Schema.String }) })

// --- notifications

const TurnError = Schema.Struct({ message: Schema.String })

export const TurnStartedParams = Schema.Struct({ turn: Schema.Struct({ id: Schema.String }) })
export const TurnCompletedParams = Schema.Struct({
  turn: Schema.Struct({
    id: Schema.String,
    status: Schema.Literal("completed", "interrupted", "failed", "inProgress"),
    error: Schema.optional(Schema.NullOr(TurnError))
  })
})
export const DeltaParams = Schema.Struct({ itemId: Schema.String, delta: Schema.String })
export const ErrorParams = Schema.Struct({ error: TurnError, willRetry: Schema.Boolean })
export const DiffParams = Schema.Struct({ diff: Schema.String })
export const PlanParams = Schema.Struct({
  plan: Schema.Array(Schema.Struct({ step: Schema.String, status: Schema.Literal("pending", "inProgress", "completed") }))
})
const Breakdown = Schema.Struct({ totalTokens: Schema.Number, inputTokens: Schema.Number, outputTokens: Schema.Number })
export const TokenUsageParams = Schema.Struct({ tokenUsage: Schema.Struct({ total: Breakdown }) })

const ItemStatus = Schema.Literal("inProgress", "completed", "failed", "declined")

export const ThreadItem = Schema.Union(
  Schema.Struct({ type: Schema.Literal("agentMessage"), id: Schema.String, text: Schema.String }),
  Schema.Struct({
    type: Schema.Literal("reasoning"),
    id: Schema.String,
    summary: Schema.Array(Schema.String),
    content: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] })
  }),
  Schema.Struct({
    type: Schema.Literal("commandExecution"),
    id: Schema.String,
    command: Schema.String,
    cwd: Schema.optional(Schema.NullOr(Schema.String)),
    status: ItemStatus,
    aggregatedOutput: Schema.optional(Schema.NullOr(Schema.String)),
    exitCode: Schema.optional(Schema.NullOr(Schema.Number))
  }),
  Schema.Struct({
    type: Schema.Literal("fileChange"),
    id: Schema.String,
    status: ItemStatus,
    changes: Schema.Array(
      Schema.Struct({ path: Schema.String, kind: Schema.Struct({ type: Schema.Literal("add", "delete", "update") }) })
    )
  }),
  // Every other item type (userMessage, webSearch, mcpToolCall, ...) is not shown as its own event.
  Schema.Struct({ type: Schema.String, id: Schema.String })
)
export type ThreadItem = typeof ThreadItem.Type
export const ItemParams = Schema.Struct({ item: ThreadItem })
export const ResolvedParams = Schema.Struct({ requestId: RequestId })

// --- server requests

export const CommandApprovalParams = Schema.Struct({
  itemId: Schema.String,
  command: Schema.optional(Schema.NullOr(Schema.String)),
  cwd: Schema.optional(Schema.NullOr(Schema.String)),
  reason: Schema.optional(Schema.NullOr(Schema.String))
})
export const FileApprovalParams = Schema.Struct({
  itemId: Schema.String,
  reason: Schema.optional(Schema.NullOr(Schema.String)),
  grantRoot: Schema.optional(Schema.NullOr(Schema.String))
})
export const UserInputParams = Schema.Struct({
  itemId: Schema.String,
  questions: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      question: Schema.String,
      options: Schema.NullOr(Schema.Array(Schema.Struct({ label: Schema.String, description: Schema.String })))
    })
  )
})

import { Schema } from "effect"

/**
 * The slice of Claude Code's stream-json protocol (`claude -p --input-format stream-json
 * --output-format stream-json --verbose`, 2.1.332) that orchestrator reads; see
 * docs/protocols/claude-code.md. Unknown fields are ignored and unknown line types skipped, so
 * newer CLIs still decode.
 */

const TextBlock = Schema.Struct({ type: Schema.Literal("text"), text: Schema.String })
const ThinkingBlock = Schema.Struct({ type: Schema.Literal("thinking"), thinking: Schema.String })
const ToolUseBlock = Schema.Struct({
  type: Schema.Literal("tool_use"),
  id: Schema.String,
  name: Schema.String,
  input: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})
const ToolResultBlock = Schema.Struct({
  type: Schema.Literal("tool_result"),
  tool_use_id: Schema.String,
  content: Schema.optional(Schema.Union(Schema.String, Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) })))),
  is_error: Schema.optional(Schema.Boolean)
})
// Other block types (images, redacted thinking, server tools) are not shown.
const OtherBlock = Schema.Struct({ type: Schema.String })

export const AssistantBlock = Schema.Union(TextBlock, ThinkingBlock, ToolUseBlock, OtherBlock)
export type AssistantBlock = typeof AssistantBlock.Type
export const UserBlock = Schema.Union(ToolResultBlock, OtherBlock)

/** `permission_decision.decision` is `reject` when the person (or a rule) refused the tool. */
const ToolResultMeta = Schema.Struct({
  id: Schema.String,
  permission_decision: Schema.optional(Schema.Struct({ decision: Schema.String }))
})

export const Usage = Schema.Struct({
  input_tokens: Schema.Number,
  output_tokens: Schema.Number,
  cache_creation_input_tokens: Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => 0 }),
  cache_read_input_tokens: Schema.optionalWith(Schema.NullOr(Schema.Number), { default: () => 0 })
})

const StreamDelta = Schema.Union(
  Schema.Struct({ type: Schema.Literal("text_delta"), text: Schema.String }),
  Schema.Struct({ type: Schema.Literal("thinking_delta"), thinking: Schema.String }),
  Schema.Struct({ type: Schema.String })
)

/** The Messages API's own SSE events, forwarded with `--include-partial-messages`. */
export const StreamEvent = Schema.Union(
  Schema.Struct({ type: Schema.Literal("message_start"), message: Schema.Struct({ id: Schema.String }) }),
  Schema.Struct({ type: Schema.Literal("content_block_delta"), index: Schema.Number, delta: StreamDelta }),
  Schema.Struct({ type: Schema.String })
)

const CanUseTool = Schema.Struct({
  subtype: Schema.Literal("can_use_tool"),
  tool_name: Schema.String,
  input: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  tool_use_id: Schema.optional(Schema.String),
  description: Schema.optional(Schema.String),
  decision_reason: Schema.optional(Schema.String),
  permission_suggestions: Schema.optional(Schema.Array(Schema.Unknown))
})
export type CanUseTool = typeof CanUseTool.Type

/** One stdout line, tagged by its `type` (see `tagLine`); `other` covers every type orchestrator does not read. */
export const OutputLine = Schema.Union(
  Schema.TaggedStruct("system", { subtype: Schema.String, session_id: Schema.optional(Schema.String) }),
  Schema.TaggedStruct("stream_event", { event: StreamEvent, parent_tool_use_id: Schema.NullishOr(Schema.String) }),
  Schema.TaggedStruct("assistant", {
    /** `model` is `<synthetic>` for the CLI's own messages (an API error's text), not the model's. */
    message: Schema.Struct({ id: Schema.String, model: Schema.optional(Schema.String), content: Schema.Array(AssistantBlock) }),
    parent_tool_use_id: Schema.NullishOr(Schema.String)
  }),
  Schema.TaggedStruct("user", {
    message: Schema.Struct({ content: Schema.Union(Schema.String, Schema.Array(UserBlock)) }),
    parent_tool_use_id: Schema.NullishOr(Schema.String),
    tool_use_result: Schema.optional(Schema.Unknown),
    tool_result_meta: Schema.optional(Schema.Array(ToolResultMeta))
  }),
  Schema.TaggedStruct("result", {
    subtype: Schema.String,
    is_error: Schema.Boolean,
    result: Schema.optional(Schema.NullOr(Schema.String)),
    errors: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
    terminal_reason: Schema.optional(Schema.NullOr(Schema.String)),
    usage: Schema.optional(Usage),
    /** User messages written during the turn that the CLI runs next as their own turn. */
    queued_turn_count: Schema.optional(Schema.Number)
  }),
  Schema.TaggedStruct("control_request", { request_id: Schema.String, request: Schema.Union(CanUseTool, Schema.Struct({ subtype: Schema.String })) }),
  Schema.TaggedStruct("control_response", {
    response: Schema.Struct({ subtype: Schema.String, request_id: Schema.String, error: Schema.optional(Schema.String) })
  }),
  Schema.TaggedStruct("control_cancel_request", { request_id: Schema.String }),
  Schema.TaggedStruct("other", {})
)
export type OutputLine = typeof OutputLine.Type

const lineTypes = new Set(["system", "stream_event", "assistant", "user", "result", "control_request", "control_response", "control_cancel_request"])

/** Adds the `_tag` the line's `type` implies, so one union decodes every line. */
export const tagLine = (value: unknown): unknown => {
  if (typeof value !== "object" || value === null) return value
  const type = "type" in value ? value.type : undefined
  return { ...value, _tag: typeof type === "string" && lineTypes.has(type) ? type : "other" }
}

// --- what orchestrator writes on stdin

export const userMessage = (text: string) => ({
  type: "user",
  message: { role: "user", content: text },
  parent_tool_use_id: null,
  session_id: ""
})

export const controlRequest = (requestId: string, request: Record<string, unknown>) => ({
  type: "control_request",
  request_id: requestId,
  request
})

export type PermissionResult =
  | { readonly behavior: "allow"; readonly updatedInput: Readonly<Record<string, unknown>>; readonly updatedPermissions?: ReadonlyArray<unknown> }
  | { readonly behavior: "deny"; readonly message: string }

export const controlSuccess = (requestId: string, response: unknown) => ({
  type: "control_response",
  response: { subtype: "success", request_id: requestId, response }
})

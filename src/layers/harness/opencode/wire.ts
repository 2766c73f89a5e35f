import { Option, Schema } from "effect"

/**
 * The parts of OpenCode 1.18's `/global/event` stream that orchestrator reads (OpenAPI at `GET /doc`).
 * Structs ignore extra keys, so a newer server that adds fields still decodes.
 */

const Props = <T extends string, F extends Schema.Struct.Fields>(type: T, fields: F) =>
  Schema.Struct({ type: Schema.Literal(type), properties: Schema.Struct(fields) })

const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })

export const ToolState = Schema.Struct({
  status: Schema.String,
  input: Schema.optional(Metadata),
  output: Schema.optional(Schema.String),
  error: Schema.optional(Schema.String),
  metadata: Schema.optional(Metadata)
})

export const Tokens = Schema.Struct({
  input: Schema.Number,
  output: Schema.Number,
  reasoning: Schema.optionalWith(Schema.Number, { default: () => 0 })
})

/** One message part; which optional fields are present depends on `type`. */
export const Part = Schema.Struct({
  id: Schema.String,
  sessionID: Schema.String,
  messageID: Schema.String,
  type: Schema.String,
  text: Schema.optional(Schema.String),
  synthetic: Schema.optional(Schema.Boolean),
  time: Schema.optional(Schema.Struct({ start: Schema.optional(Schema.Number), end: Schema.optional(Schema.Number) })),
  tool: Schema.optional(Schema.String),
  callID: Schema.optional(Schema.String),
  state: Schema.optional(ToolState),
  tokens: Schema.optional(Tokens)
})
export type Part = typeof Part.Type

export const ErrorInfo = Schema.Struct({
  name: Schema.String,
  data: Schema.optional(Schema.Struct({ message: Schema.optional(Schema.String) }))
})
export type ErrorInfo = typeof ErrorInfo.Type

export const OpenCodeEvent = Schema.Union(
  Props("server.connected", {}),
  Props("server.heartbeat", {}),
  Props("message.updated", {
    info: Schema.Struct({
      id: Schema.String,
      sessionID: Schema.String,
      role: Schema.String,
      time: Schema.optional(Schema.Struct({ completed: Schema.optional(Schema.Number) }))
    })
  }),
  Props("message.part.updated", { part: Part }),
  Props("message.part.delta", {
    sessionID: Schema.String,
    messageID: Schema.String,
    partID: Schema.String,
    field: Schema.String,
    delta: Schema.String
  }),
  Props("permission.asked", {
    id: Schema.String,
    sessionID: Schema.String,
    permission: Schema.String,
    patterns: Schema.Array(Schema.String),
    metadata: Schema.optional(Metadata),
    tool: Schema.optional(Schema.Struct({ callID: Schema.String }))
  }),
  Props("permission.replied", { sessionID: Schema.String, requestID: Schema.String, reply: Schema.String }),
  Props("question.asked", {
    id: Schema.String,
    sessionID: Schema.String,
    questions: Schema.Array(
      Schema.Struct({
        question: Schema.String,
        header: Schema.optional(Schema.String),
        options: Schema.Array(Schema.Struct({ label: Schema.String, description: Schema.optional(Schema.String) }))
      })
    )
  }),
  Props("todo.updated", {
    sessionID: Schema.String,
    todos: Schema.Array(Schema.Struct({ content: Schema.String, status: Schema.String }))
  }),
  Props("session.status", {
    sessionID: Schema.String,
    status: Schema.Struct({ type: Schema.String, message: Schema.optional(Schema.String) })
  }),
  Props("session.idle", { sessionID: Schema.String }),
  Props("session.error", { sessionID: Schema.optional(Schema.String), error: Schema.optional(ErrorInfo) })
)
export type OpenCodeEvent = typeof OpenCodeEvent.Type

/** `/global/event` wraps each instance event as `{directory, payload}`; `/event` sends it bare. */
const decodeWrapped = Schema.decodeUnknownOption(Schema.Struct({ payload: Schema.Object }))
const decodeTyped = Schema.decodeUnknownOption(Schema.Struct({ type: Schema.String }))
const decodeEvent = Schema.decodeUnknownEither(OpenCodeEvent)

export const knownEventTypes: ReadonlySet<string> = new Set(
  OpenCodeEvent.members.map((member) => member.fields.type.literals[0])
)

export type FrameResult =
  | { readonly _tag: "Event"; readonly event: OpenCodeEvent }
  | { readonly _tag: "Ignored"; readonly type: string }
  | { readonly _tag: "Undecodable"; readonly type: string; readonly detail: string }

/** Decodes one SSE `data:` payload. Unknown event types are ignored; known ones that fail are reported. */
export const decodeFrameData = (json: unknown): FrameResult => {
  const inner = Option.match(decodeWrapped(json), { onNone: () => json, onSome: (wrapped) => wrapped.payload })
  const typed = decodeTyped(inner)
  if (Option.isNone(typed)) return { _tag: "Undecodable", type: "?", detail: "not an event object" }
  const type = typed.value.type
  if (!knownEventTypes.has(type)) return { _tag: "Ignored", type }
  const decoded = decodeEvent(inner)
  return decoded._tag === "Right"
    ? { _tag: "Event", event: decoded.right }
    : { _tag: "Undecodable", type, detail: decoded.left.message }
}

/** The session an event belongs to, when it belongs to one. */
export const eventSessionId = (event: OpenCodeEvent): string | undefined => {
  switch (event.type) {
    case "server.connected":
    case "server.heartbeat":
      return undefined
    case "message.updated":
      return event.properties.info.sessionID
    case "message.part.updated":
      return event.properties.part.sessionID
    default:
      return event.properties.sessionID
  }
}

export const SessionInfo = Schema.Struct({
  id: Schema.String,
  directory: Schema.optional(Schema.String),
  tokens: Schema.optional(Tokens)
})

export const Health = Schema.Struct({ healthy: Schema.Boolean, version: Schema.String })

export const SessionStatusMap = Schema.Record({
  key: Schema.String,
  value: Schema.Struct({ type: Schema.String })
})

import { Either, type ParseResult, Schema } from "effect"
import type { TokenUsage, WorkerEvent } from "../../../domain/workerEvent.js"
import {
  DeltaParams,
  DiffParams,
  ItemParams,
  PlanParams,
  type ThreadItem,
  TokenUsageParams,
  TurnCompletedParams,
  TurnStartedParams
} from "./protocol.js"

/** What normalizing one notification yields: events to publish and the latest absolute usage. */
export interface Normalized {
  readonly events: ReadonlyArray<WorkerEvent>
  readonly usage: TokenUsage | null
  /** Set when the notification ended a turn with `failed`: the reason the session crashes. */
  readonly failure: string | null
}

const decode = <A, I>(schema: Schema.Schema<A, I>, params: unknown) =>
  Schema.decodeUnknownEither(schema)(params)

const commandStatus = (status: string) =>
  status === "inProgress" ? "running" : status === "failed" ? "failed" : status === "declined" ? "declined" : "completed"

const fileStatus = (status: string, started: boolean) =>
  started ? "proposed" : status === "failed" ? "failed" : status === "declined" ? "declined" : "applied"

/** An item that started or completed, as the person sees it; other item types are not shown. */
const itemEvents = (item: ThreadItem, started: boolean): ReadonlyArray<WorkerEvent> => {
  if (item.type === "agentMessage" && "text" in item) return started ? [] : [{ _tag: "Message", itemId: item.id, text: item.text }]
  if (item.type === "reasoning" && "summary" in item) {
    const text = [...item.summary, ...item.content].join("\n")
    return started || text === "" ? [] : [{ _tag: "Reasoning", itemId: item.id, text }]
  }
  if (item.type === "commandExecution" && "command" in item) {
    return [{
      _tag: "CommandExecution",
      itemId: item.id,
      command: item.command,
      cwd: item.cwd ?? null,
      status: started ? "running" : commandStatus(item.status),
      output: item.aggregatedOutput ?? "",
      exitCode: item.exitCode ?? null
    }]
  }
  if (item.type === "fileChange" && "changes" in item) {
    return [{
      _tag: "FileChange",
      itemId: item.id,
      status: fileStatus(item.status, started),
      changes: item.changes.map((change) => ({ path: change.path, kind: change.kind.type }))
    }]
  }
  return []
}

const ProviderErrorBody = Schema.parseJson(Schema.Struct({ error: Schema.Struct({ message: Schema.String }) }))

/** Codex passes a provider's error body through verbatim; the person wants its message. */
export const readableError = (message: string): string =>
  Either.match(Schema.decodeUnknownEither(ProviderErrorBody)(message), {
    onLeft: () => message,
    onRight: (body) => body.error.message
  })

const only = (usage: TokenUsage | null, events: ReadonlyArray<WorkerEvent>): Normalized => ({ events, usage, failure: null })

/**
 * Maps one app-server notification to normalized worker events. Methods orchestrator does not show
 * (rate limits, status changes, warnings, ...) yield nothing; a known method whose params do not
 * decode is a Left so the caller can report what it received.
 */
export const normalizeNotification = (
  method: string,
  params: unknown,
  usage: TokenUsage | null
): Either.Either<Normalized, ParseResult.ParseError> => {
  switch (method) {
    case "turn/started":
      return decode(TurnStartedParams, params).pipe(Either.map((p) => only(usage, [{ _tag: "TurnStarted", turnId: p.turn.id }])))
    case "turn/completed":
      return decode(TurnCompletedParams, params).pipe(
        Either.map((p): Normalized => {
          const status = p.turn.status === "inProgress" ? "completed" : p.turn.status
          const error = p.turn.error ? readableError(p.turn.error.message) : null
          return {
            events: [{ _tag: "TurnCompleted", turnId: p.turn.id, status, usage, error }],
            usage,
            failure: status === "failed" ? (error ?? "the turn failed without a reason") : null
          }
        })
      )
    case "item/started":
    case "item/completed":
      return decode(ItemParams, params).pipe(Either.map((p) => only(usage, itemEvents(p.item, method === "item/started"))))
    case "item/agentMessage/delta":
      return decode(DeltaParams, params).pipe(Either.map((p) => only(usage, [{ _tag: "TextDelta", itemId: p.itemId, text: p.delta }])))
    case "item/reasoning/summaryTextDelta":
    case "item/reasoning/textDelta":
      return decode(DeltaParams, params).pipe(
        Either.map((p) => only(usage, [{ _tag: "ReasoningDelta", itemId: p.itemId, text: p.delta }]))
      )
    case "item/commandExecution/outputDelta":
      return decode(DeltaParams, params).pipe(
        Either.map((p) => only(usage, [{ _tag: "CommandOutputDelta", itemId: p.itemId, text: p.delta }]))
      )
    case "turn/plan/updated":
      return decode(PlanParams, params).pipe(
        Either.map((p) =>
          only(usage, [{
            _tag: "PlanUpdated",
            steps: p.plan.map((s) => ({ step: s.step, status: s.status === "inProgress" ? "in_progress" : s.status }))
          }])
        )
      )
    case "turn/diff/updated":
      return decode(DiffParams, params).pipe(
        Either.map((p) => only(usage, [{ _tag: "WorkerArtifact", kind: "diff", title: "turn diff", uri: null, content: p.diff }]))
      )
    case "thread/tokenUsage/updated":
      // `total` is absolute for the thread; `last` is only the latest request.
      return decode(TokenUsageParams, params).pipe(
        Either.map((p) => {
          const total = p.tokenUsage.total
          return only({ input: total.inputTokens, output: total.outputTokens, total: total.totalTokens }, [])
        })
      )
    default:
      return Either.right(only(usage, []))
  }
}

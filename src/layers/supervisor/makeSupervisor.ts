import * as LanguageModel from "@effect/ai/LanguageModel"
import * as Prompt from "@effect/ai/Prompt"
import { Cause, Chunk, Clock, Duration, Effect, Exit, Option, Random, Redacted, Stream } from "effect"
import { SupervisorQueryChunk, SupervisorQueryFinished, SupervisorQueryStarted, type SupervisorScope } from "../../domain/events.js"
import { QueryId, type SessionId } from "../../domain/ids.js"
import { type AnswerEvent, TicketDraft } from "../../domain/supervisor.js"
import { SupervisorError, SupervisorKeyMissing } from "../../domain/supervisorErrors.js"
import { builtInQuestion, matchQuestion } from "../../domain/supervisorQuestions.js"
import { buildContextPack, type ContextBounds, defaultContextBounds } from "./contextPack.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { type AskRequest, Supervisor, type SupervisorFailure } from "../../services/Supervisor.js"
import { Ticketing } from "../../services/Ticketing.js"
import { fromAiError } from "./modelErrors.js"
import { answerInstructions, draftInstructions, summaryInstructions } from "./prompts.js"
import { fingerprint, makeSummaryCache } from "./summaryCache.js"
import { type AnswerPart, streamWithTools } from "./toolLoop.js"
import { makeToolHandlers, SupervisorToolkit } from "./tools.js"

export interface SupervisorOptions {
  readonly bounds: ContextBounds
  /** Model calls per question, tool rounds included. */
  readonly maxRounds: number
  /** A question with no answer part for this long fails. */
  readonly idleTimeout: Duration.DurationInput
  /** Summaries kept (one per session). */
  readonly summaryCapacity: number
}

export const defaultSupervisorOptions: SupervisorOptions = {
  bounds: defaultContextBounds,
  maxRounds: 4,
  idleTimeout: "120 seconds",
  summaryCapacity: 256
}

const maxSummaryChars = 120
// Chunk events hold at most this many deltas; the time bound is chunk_event_flush_ms.
const maxDeltasPerChunk = 512

const finishedStatus = (exit: Exit.Exit<unknown, unknown>): Pick<SupervisorQueryFinished, "status" | "error"> => {
  if (Exit.isSuccess(exit)) return { status: "finished", error: null }
  if (Cause.isInterruptedOnly(exit.cause)) return { status: "cancelled", error: null }
  const failure = Cause.squash(exit.cause)
  return { status: "failed", error: failure instanceof Error ? failure.message : String(failure) }
}

/** Text deltas and tool results, for the caller; a tool result carries the arguments of its call. */
const answerEvents = () => {
  const calls = new Map<string, string>()
  return (part: AnswerPart): ReadonlyArray<AnswerEvent> => {
    switch (part.type) {
      case "text-delta":
        return part.delta === "" ? [] : [{ _tag: "AnswerText", text: part.delta }]
      case "tool-call":
        calls.set(part.id, JSON.stringify(part.params))
        return []
      case "tool-result":
        return [
          {
            _tag: "AnswerToolCalled",
            tool: part.name,
            arguments: calls.get(part.id) ?? "{}",
            result: JSON.stringify(part.encodedResult),
            failed: part.isFailure
          }
        ]
      default:
        return []
    }
  }
}

/** A mid-stream `error` event from the provider ends the answer as a failure. */
const failOnErrorPart = (part: AnswerPart): Effect.Effect<AnswerPart, SupervisorError> =>
  part.type === "error"
    ? Effect.fail(new SupervisorError({ operation: "ask", detail: `the model stream reported an error: ${JSON.stringify(part.error).slice(0, 300)}` }))
    : Effect.succeed(part)

/** The Supervisor on any LanguageModel: the live Layer gives it OpenRouter, the test Layer a script. */
export const makeSupervisor = (options: SupervisorOptions = defaultSupervisorOptions) =>
  Effect.gen(function* () {
    const model = yield* LanguageModel.LanguageModel
    const store = yield* EventStore
    const ticketing = yield* Ticketing
    const config = yield* AppConfig
    const cache = yield* makeSummaryCache(options.summaryCapacity)
    const flush = Duration.millis(Math.max(1, config.settings.database.chunk_event_flush_ms))

    const requireKey = Option.isSome(config.secrets.openrouterApiKey) ? Effect.void : Effect.fail(new SupervisorKeyMissing())
    // Whatever an agent printed into the store, a known secret never goes to the model.
    const secretValues = [
      config.secrets.linearApiKey,
      config.secrets.shortcutApiToken,
      config.secrets.openrouterApiKey,
      config.secrets.jiraApiToken ?? Option.none()
    ]
      .flatMap((secret) => (Option.isSome(secret) ? [Redacted.value(secret.value)] : []))
      .filter((value) => value.length >= 6)
    const scrub = (text: string) => secretValues.reduce((clean, secret) => clean.replaceAll(secret, "[redacted]"), text)
    const pack = (scope: SupervisorScope) =>
      buildContextPack(scope, options.bounds).pipe(
        Effect.provideService(EventStore, store),
        Effect.map((built) => ({ ...built, text: scrub(built.text) }))
      )

    const newQueryId = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const salt = yield* Random.nextIntBetween(0, 36 ** 4)
      return QueryId.make(`q_${now.toString(36)}_${salt.toString(36)}`)
    })

    const finish = (queryId: QueryId, exit: Exit.Exit<unknown, unknown>) =>
      store.append([new SupervisorQueryFinished({ queryId, ...finishedStatus(exit) })]).pipe(Effect.ignoreLogged)

    /** Coalesces deltas into one chunk event per flush interval, then hands them on unchanged. */
    const persistChunks = (queryId: QueryId) => (events: Stream.Stream<AnswerEvent, SupervisorFailure>) =>
      events.pipe(
        Stream.groupedWithin(maxDeltasPerChunk, flush),
        Stream.tap((group) => {
          const text = Chunk.toArray(group)
            .map((event) => (event._tag === "AnswerText" ? event.text : ""))
            .join("")
          return Effect.when(store.append([new SupervisorQueryChunk({ queryId, text })]), () => text !== "")
        }),
        Stream.flattenChunks
      )

    const ask = (request: AskRequest): Stream.Stream<AnswerEvent, SupervisorFailure> =>
      Stream.unwrapScoped(
        Effect.gen(function* () {
          yield* requireKey
          const queryId = yield* newQueryId
          const kind = request.kind ?? Option.getOrNull(matchQuestion(request.question))
          yield* Effect.acquireRelease(
            store.append([new SupervisorQueryStarted({ queryId, question: request.question, scope: request.scope })]),
            (_, exit) => finish(queryId, exit)
          )
          const context = yield* pack(request.scope)
          const handlers = yield* SupervisorToolkit.toContext(makeToolHandlers(queryId, ticketing, store))
          const toolkit = yield* Effect.provide(SupervisorToolkit, handlers)
          const question = request.kind === null ? request.question : builtInQuestion(request.kind).prompt
          const prompt = Prompt.make([
            { role: "system", content: answerInstructions(context) },
            { role: "user", content: question }
          ])
          const answer = streamWithTools(model, prompt, toolkit, options.maxRounds).pipe(
            Stream.mapError(fromAiError("ask")),
            Stream.mapEffect(failOnErrorPart),
            Stream.mapConcat(answerEvents()),
            Stream.timeoutFail(() => new SupervisorError({ operation: "ask", detail: `no answer for ${Duration.format(options.idleTimeout)}` }), options.idleTimeout),
            persistChunks(queryId)
          )
          return Stream.concat(Stream.succeed<AnswerEvent>({ _tag: "AnswerStarted", queryId, kind }), answer)
        })
      )

    const sessionSummary = (sessionId: SessionId) =>
      Effect.gen(function* () {
        yield* requireKey
        const context = yield* pack({ _tag: "Session", sessionId })
        const compute = model.generateText({ prompt: summaryInstructions(context) }).pipe(
          Effect.mapError(fromAiError("session summary")),
          Effect.map((response) => {
            const line = response.text.split("\n").find((l) => l.trim() !== "") ?? ""
            return line.trim().slice(0, maxSummaryChars)
          })
        )
        return yield* cache.getOrCompute(sessionId, fingerprint(context.text), compute)
      })

    const draftTicket = (brief: string) =>
      Effect.gen(function* () {
        yield* requireKey
        const response = yield* model
          .generateObject({
            prompt: Prompt.make([
              { role: "system", content: draftInstructions },
              { role: "user", content: brief }
            ]),
            schema: TicketDraft,
            objectName: "ticket_draft"
          })
          .pipe(Effect.mapError(fromAiError("draft ticket")))
        return response.value
      })

    return Supervisor.of({ ask, sessionSummary, draftTicket })
  })

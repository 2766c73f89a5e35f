import { Effect, Option, Schema, Stream } from "effect"
import type { SupervisorScope } from "../../domain/events.js"
import { SessionId, TicketId } from "../../domain/ids.js"
import type { QuestionKind } from "../../domain/supervisorQuestions.js"
import { SupervisorScopeInvalid } from "../../domain/supervisorErrors.js"
import { EventStore } from "../../services/EventStore.js"
import { Supervisor } from "../../services/Supervisor.js"

/**
 * The scope of a shell question: `--session ID`, or `--ticket` as a namespaced id (linear:…) or a
 * tracker key (ENG-42) looked up in the local store; neither means everything in flight.
 */
export const resolveScope = (session: Option.Option<string>, ticket: Option.Option<string>) =>
  Effect.gen(function* () {
    if (Option.isSome(session) && Option.isSome(ticket)) {
      return yield* new SupervisorScopeInvalid({ reason: "give --session or --ticket, not both" })
    }
    const store = yield* EventStore
    if (Option.isSome(session)) {
      const sessionId = yield* Schema.decode(SessionId)(session.value).pipe(
        Effect.mapError(() => new SupervisorScopeInvalid({ reason: "--session needs a session id" }))
      )
      if (Option.isNone(yield* store.session(sessionId))) {
        return yield* new SupervisorScopeInvalid({ reason: `no session ${session.value}: \`orchestrator sessions list\` shows them` })
      }
      return { _tag: "Session", sessionId } satisfies SupervisorScope
    }
    if (Option.isSome(ticket)) {
      const wanted = ticket.value
      const direct = Schema.decodeOption(TicketId)(wanted)
      if (Option.isSome(direct)) return { _tag: "Ticket", ticketId: direct.value } satisfies SupervisorScope
      const known = yield* store.tickets({ includeUnlisted: true })
      const found = known.find((t) => t.identifier.toLowerCase() === wanted.toLowerCase())
      if (found === undefined) {
        return yield* new SupervisorScopeInvalid({ reason: `no ticket ${wanted} in the local store: run \`orchestrator sync tickets\`` })
      }
      return { _tag: "Ticket", ticketId: found.id } satisfies SupervisorScope
    }
    return { _tag: "Global" } satisfies SupervisorScope
  })

export interface AskResult {
  readonly queryId: string | null
  readonly question: string
  readonly kind: QuestionKind | null
  readonly scope: SupervisorScope
  readonly answer: string
  readonly toolCalls: ReadonlyArray<{ readonly tool: string; readonly arguments: string; readonly result: string; readonly failed: boolean }>
}

/** Asks, hands each text piece to `onText` as it streams, and returns the whole exchange. */
export const askQuestion = <E>(question: string, scope: SupervisorScope, onText: (text: string) => Effect.Effect<void, E>) =>
  Effect.gen(function* () {
    const supervisor = yield* Supervisor
    const result: { queryId: string | null; kind: QuestionKind | null; answer: string; toolCalls: Array<AskResult["toolCalls"][number]> } = {
      queryId: null,
      kind: null,
      answer: "",
      toolCalls: []
    }
    yield* supervisor.ask({ question, scope, kind: null }).pipe(
      Stream.runForEach((event) => {
        switch (event._tag) {
          case "AnswerStarted":
            return Effect.sync(() => {
              result.queryId = event.queryId
              result.kind = event.kind
            })
          case "AnswerText":
            return Effect.zipRight(
              Effect.sync(() => {
                result.answer += event.text
              }),
              onText(event.text)
            )
          case "AnswerToolCalled":
            return Effect.sync(() => {
              result.toolCalls.push({ tool: event.tool, arguments: event.arguments, result: event.result, failed: event.failed })
            })
        }
      })
    )
    return { ...result, question, scope } satisfies AskResult
  })

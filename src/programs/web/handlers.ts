import { HttpApiBuilder, HttpServerResponse } from "@effect/platform"
import { Clock, type Context, Effect, Option, Schema, Stream } from "effect"
import { SessionId, TicketId, WorkItemId } from "../../domain/ids.js"
import { EventStore } from "../../services/EventStore.js"
import { SessionRuntime } from "../../services/SessionRuntime.js"
import { Supervisor } from "../../services/Supervisor.js"
import { Workflow, type WorkflowFailure } from "../../services/Workflow.js"
import { describeSync, syncTickets } from "../tickets/syncTickets.js"
import { WebApi } from "./api.js"
import { BadRequest, Busy, Conflict, toApiError, Unknown } from "./apiErrors.js"
import type { Feed } from "./feed.js"
import { type ReadSettings, sessionDetail, stateSnapshot, symphonyState } from "./readModel.js"
import { eventText, resumeFrom, type SseOptions, sseResponse } from "./sse.js"

export interface HandlerOptions extends ReadSettings {
  readonly feed: Feed
  readonly sse: SseOptions
  /** The supervisor when its key is set; an empty context otherwise. */
  readonly supervisor: boolean
}

const domain = <A, E extends { readonly _tag: string; readonly message: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.mapError(effect, toApiError)

const decodeWith =
  <A>(schema: Schema.Schema<A, string>, what: string) =>
  (raw: string) =>
    Effect.mapError(Schema.decodeUnknown(schema)(raw), () => new BadRequest({ message: `not a valid ${what} id: ${JSON.stringify(raw.slice(0, 80))}` }))
const sessionIdOf = decodeWith(SessionId, "session")
const ticketIdOf = decodeWith(TicketId, "ticket")
const workItemIdOf = decodeWith(WorkItemId, "work item")

const done = (message: string) => ({ ok: true as const, message })

/** A session the store knows, or 404 (the runtime's own error for it would read as a conflict). */
const knownSession = (raw: string) =>
  Effect.gen(function* () {
    const sessionId = yield* sessionIdOf(raw)
    const row = yield* domain((yield* EventStore).session(sessionId))
    if (Option.isNone(row)) return yield* new Unknown({ message: `session ${sessionId} not found` })
    return sessionId
  })

const knownWorkItem = (raw: string) =>
  Effect.gen(function* () {
    const workItemId = yield* workItemIdOf(raw)
    const item = yield* domain((yield* EventStore).workItem(workItemId))
    if (Option.isNone(item)) return yield* new Unknown({ message: `work item ${workItemId} not found` })
    return workItemId
  })

/** One workflow step on a known work item, as the screen's `w n`, merge and archive keys take it. */
const workItemStep = (
  raw: string,
  step: (workflow: Context.Tag.Service<typeof Workflow>) => (workItemId: WorkItemId) => Effect.Effect<void, WorkflowFailure>,
  message: string
) =>
  Effect.gen(function* () {
    const workItemId = yield* knownWorkItem(raw)
    yield* domain(step(yield* Workflow)(workItemId))
    return done(message)
  })

export const readHandlers = (options: HandlerOptions) =>
  HttpApiBuilder.group(WebApi, "read", (handlers) =>
    handlers
      .handle("state", () => domain(stateSnapshot(options.feed, options)))
      .handle("session", ({ path }) =>
        Effect.gen(function* () {
          const sessionId = yield* sessionIdOf(path.sessionId)
          const detail = yield* domain(sessionDetail(options.feed, sessionId, options.transcriptLineLimit))
          if (Option.isNone(detail)) return yield* new Unknown({ message: `session ${sessionId} not found` })
          return detail.value
        })
      )
      .handle("sessionEvents", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const sessionId = yield* knownSession(path.sessionId)
          const store = yield* EventStore
          const limit = Math.min(Math.max(1, urlParams.limit ?? 500), 2000)
          const lastSeq = yield* domain(store.lastSeq)
          const events = yield* domain(store.events({ sessionId, afterSeq: urlParams.after ?? 0, limit }))
          return { lastSeq, events }
        })
      )
      .handle("tickets", ({ urlParams }) =>
        domain(Effect.flatMap(EventStore, (store) => store.tickets({ ...(urlParams.state === undefined ? {} : { state: urlParams.state }), limit: Math.min(Math.max(1, urlParams.limit ?? 500), 5000) })))
      )
      .handle("workItems", () => domain(Effect.flatMap(EventStore, (store) => store.workItems)))
      .handle("diff", ({ path }) =>
        Effect.gen(function* () {
          const workItemId = yield* knownWorkItem(path.workItemId)
          const text = yield* domain(Effect.flatMap(Workflow, (workflow) => workflow.diff(workItemId)))
          return { text }
        })
      )
  )

export const actHandlers = () =>
  HttpApiBuilder.group(WebApi, "act", (handlers) =>
    handlers
      .handle("startTicket", ({ path, payload }) =>
        Effect.gen(function* () {
          const ticketId = yield* ticketIdOf(path.ticketId)
          const ticket = yield* domain((yield* EventStore).ticket(ticketId))
          if (Option.isNone(ticket)) return yield* new Unknown({ message: `ticket ${ticketId} not found` })
          const workflow = yield* Workflow
          const started = yield* domain(workflow.startTicket(ticketId, payload.repoPath === undefined ? {} : { repoPath: payload.repoPath }))
          return { workItemId: started.workItemId, sessionId: started.sessionId }
        })
      )
      .handle("syncTickets", () => domain(Effect.map(syncTickets(), (report) => done(describeSync(report)))))
      .handle("message", ({ path, payload }) =>
        Effect.gen(function* () {
          const sessionId = yield* knownSession(path.sessionId)
          yield* domain((yield* SessionRuntime).sendInput(sessionId, payload.text))
          return done("sent")
        })
      )
      .handle("interrupt", ({ path }) =>
        Effect.gen(function* () {
          const sessionId = yield* knownSession(path.sessionId)
          yield* domain((yield* SessionRuntime).interrupt(sessionId))
          return done("interrupted")
        })
      )
      .handle("answer", ({ path, payload }) =>
        Effect.gen(function* () {
          const sessionId = yield* knownSession(path.sessionId)
          yield* domain((yield* SessionRuntime).answerInput(sessionId, payload.requestId, payload.answers))
          return done("answered")
        })
      )
      .handle("approval", ({ path, payload }) =>
        Effect.gen(function* () {
          const sessionId = yield* knownSession(path.sessionId)
          yield* domain((yield* SessionRuntime).answerApproval(sessionId, payload.requestId, payload.decision))
          return done(payload.decision === "accept" ? "approved" : "declined")
        })
      )
      .handle("advance", ({ path }) =>
        Effect.gen(function* () {
          // Merging is its own confirmed action: a page showing an older state must not merge by "Advance".
          const workItemId = yield* knownWorkItem(path.workItemId)
          const item = yield* domain((yield* EventStore).workItem(workItemId))
          if (Option.exists(item, (found) => found.state === "PendingMerge")) {
            return yield* new Conflict({ message: "the pull request waits for its merge: confirm it with merge (POST …/merge)" })
          }
          return yield* workItemStep(path.workItemId, (workflow) => workflow.advance, "workflow advanced")
        })
      )
      .handle("merge", ({ path }) => workItemStep(path.workItemId, (workflow) => workflow.merge, "merge requested"))
      .handle("archive", ({ path }) => workItemStep(path.workItemId, (workflow) => workflow.archive, "archived"))
      .handle("ask", ({ payload }) =>
        Effect.gen(function* () {
          const supervisor = yield* Effect.serviceOption(Supervisor)
          if (Option.isNone(supervisor)) return yield* new Busy({ message: "the supervisor needs OPENROUTER_API_KEY in the environment" })
          const scope =
            payload.sessionId === undefined ? { _tag: "Global" as const } : { _tag: "Session" as const, sessionId: yield* knownSession(payload.sessionId) }
          const text = supervisor.value.ask({ question: payload.question, scope, kind: null }).pipe(
            Stream.filterMap((event) => (event._tag === "AnswerText" ? Option.some(event.text) : Option.none())),
            // A failure mid-answer ends the text with one line saying so (the status is already sent).
            Stream.catchAll((error) => Stream.make(`\n[supervisor: ${toApiError(error).message}]`)),
            Stream.encodeText
          )
          return HttpServerResponse.stream(text, { contentType: "text/plain; charset=utf-8" })
        })
      )
  )

export const liveHandlers = (options: HandlerOptions) =>
  HttpApiBuilder.group(WebApi, "live", (handlers) =>
    handlers.handle("events", ({ request, urlParams }) =>
      Effect.gen(function* () {
        const now = yield* domain((yield* EventStore).lastSeq)
        const after = resumeFrom(request.headers["last-event-id"], urlParams.after, now)
        const sessionId = urlParams.session === undefined ? null : yield* sessionIdOf(urlParams.session)
        const store = yield* Effect.context<EventStore>()
        return sseResponse(Stream.provideContext(eventText(options.feed, after, sessionId, options.sse), store))
      })
    )
  )

export const symphonyHandlers = (options: Pick<HandlerOptions, "feed">) =>
  HttpApiBuilder.group(WebApi, "symphony", (handlers) =>
    handlers
      .handle("symphonyState", () => domain(symphonyState(options.feed)))
      .handle("symphonyRefresh", () =>
        Effect.gen(function* () {
          const now = yield* Clock.currentTimeMillis
          // Best effort, as Symphony's refresh is: the sync runs on after the answer.
          yield* Effect.forkDaemon(Effect.ignore(syncTickets()))
          return { queued: true, coalesced: false, requested_at: new Date(now).toISOString(), operations: ["poll"] }
        })
      )
  )

import { describe, expect, it } from "@effect/vitest"
import { Cause, Chunk, Effect, Exit, Fiber, Option, Stream, TestClock, TestServices } from "effect"
import type { DomainEvent } from "../../../src/domain/events.js"
import { SessionId, TicketId } from "../../../src/domain/ids.js"
import type { AnswerEvent } from "../../../src/domain/supervisor.js"
import { callTool, makeFakeOpenRouter, refuse, say } from "../../fakes/openrouter/server.js"
import { LINEAR_KEY, liveSupervisor, OPENROUTER_KEY, ticket1 } from "./setup.js"
import { SessionEvent, SessionSpawned } from "../../../src/domain/events.js"

const global = { _tag: "Global" } as const

/** Polls `read` in real time (5 ms apart, at most ~5 s) until `done` holds; the test clock stays put. */
const waitFor = <A>(read: Effect.Effect<A>, done: (a: A) => boolean) =>
  read.pipe(
    Effect.tap((a) => (done(a) ? Effect.void : TestServices.provideLive(Effect.sleep("5 millis")))),
    Effect.repeat({ until: done, times: 1000 })
  )

const answerText = (events: ReadonlyArray<AnswerEvent>) =>
  events.flatMap((event) => (event._tag === "AnswerText" ? [event.text] : [])).join("")

const supervisorEvents = (all: ReadonlyArray<{ readonly event: DomainEvent }>) =>
  all.map((row) => row.event).filter((event) => event._tag.startsWith("Supervisor"))

describe("Supervisor on OpenRouter (fake Responses API)", () => {
  it.scoped("streams an answer, with OpenRouter's headers, and records the query lifecycle", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([say("Two sessions are running; TST-1 waits for your review.")])
      const { supervisor, store } = yield* liveSupervisor(fake.baseUrl)

      const events = Chunk.toArray(yield* Stream.runCollect(supervisor.ask({ question: "what is going on?", scope: global, kind: null })))

      expect(events[0]).toMatchObject({ _tag: "AnswerStarted", kind: "currentActivity" })
      expect(answerText(events)).toBe("Two sessions are running; TST-1 waits for your review.")
      const [request] = yield* fake.requests
      expect(request?.body).toMatchObject({ model: "openai/gpt-4o-mini", stream: true })
      expect(request?.headers["authorization"]).toBe(`Bearer ${OPENROUTER_KEY}`)
      expect(request?.headers["http-referer"]).toMatch(/^https:\/\//)
      expect(request?.headers["x-title"]).toBe("orchestrator")

      const recorded = supervisorEvents(yield* store.events({}))
      expect(recorded.map((event) => event._tag)).toEqual(
        expect.arrayContaining(["SupervisorQueryStarted", "SupervisorQueryChunk", "SupervisorQueryFinished"])
      )
      const chunks = recorded.flatMap((event) => (event._tag === "SupervisorQueryChunk" ? [event.text] : []))
      // Coalesced: fewer chunk events than deltas streamed, and nothing lost.
      expect(chunks.join("")).toBe("Two sessions are running; TST-1 waits for your review.")
      expect(chunks.length).toBeLessThan(3)
      expect(recorded.at(-1)).toMatchObject({ _tag: "SupervisorQueryFinished", status: "finished", error: null })
    })
  )

  it.scoped("a plain (non-streamed) call answers the session summary, cached until the session's context changes", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([say("Implementing retry; tests green.\nignored second line"), say("Waiting for review.")])
      const { supervisor, store } = yield* liveSupervisor(fake.baseUrl)
      const sessionId = SessionId.make("s-1")
      yield* store.append([
        new SessionSpawned({ sessionId, workItemId: null, ticketId: null, harness: "harness.scripted", model: null, worktreePath: "/tmp/w" })
      ])

      expect(yield* supervisor.sessionSummary(sessionId)).toBe("Implementing retry; tests green.")
      expect(yield* supervisor.sessionSummary(sessionId)).toBe("Implementing retry; tests green.")
      expect((yield* fake.requests).length).toBe(1)
      expect((yield* fake.requests)[0]?.body["stream"]).toBeUndefined()

      yield* store.append([new SessionEvent({ sessionId, event: { _tag: "Checkpoint", summary: "PR opened" } })])
      expect(yield* supervisor.sessionSummary(sessionId)).toBe("Waiting for review.")
      expect((yield* fake.requests).length).toBe(2)
    })
  )

  it.scoped("runs a tool call round trip that moves the ticket, and sends the result back to the model", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([
        callTool("call_7", "update_ticket_state", { id: "test:1", state: "InReview" }),
        say("Moved TST-1 to In Review.")
      ])
      const { supervisor, store, ticketing } = yield* liveSupervisor(fake.baseUrl)

      const events = Chunk.toArray(
        yield* Stream.runCollect(supervisor.ask({ question: "Move TST-1 to review", scope: { _tag: "Ticket", ticketId: ticket1.id }, kind: null }))
      )

      expect((yield* ticketing.get(TicketId.make("test:1"))).state.name).toBe("In Review")
      expect(events).toContainEqual(expect.objectContaining({ _tag: "AnswerToolCalled", tool: "update_ticket_state", failed: false }))
      expect(answerText(events)).toBe("Moved TST-1 to In Review.")

      const requests = yield* fake.requests
      expect(requests.length).toBe(2)
      const tools = requests[0]?.body["tools"]
      expect(JSON.stringify(tools)).toContain("update_ticket_state")
      const secondInput = JSON.stringify(requests[1]?.body["input"])
      expect(secondInput).toContain('"type":"function_call_output"')
      expect(secondInput).toContain('"call_id":"call_7"')
      expect(secondInput).toContain("In Review")

      const recorded = (yield* store.events({})).map((row) => row.event)
      expect(recorded).toContainEqual(expect.objectContaining({ _tag: "SupervisorToolCalled", tool: "update_ticket_state" }))
      expect(Option.map(yield* store.ticket(ticket1.id), (t) => t.state.name)).toEqual(Option.some("In Review"))
    })
  )

  it.scoped("honours Retry-After on a 429, then answers", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([refuse(429, "Rate limit exceeded", "2"), say("Back after the limit.")])
      const { supervisor } = yield* liveSupervisor(fake.baseUrl)

      const fiber = yield* Effect.fork(Stream.runCollect(supervisor.ask({ question: "status?", scope: global, kind: null })))
      // Wait (in real time) until the retry sleeps on the test clock, then check when it wakes.
      const sleeps = yield* waitFor(Effect.map(TestClock.sleeps(), Chunk.toArray), (pending) => pending.includes(2000))
      expect(sleeps).toContain(2000)
      expect((yield* fake.requests).length).toBe(1)

      yield* TestClock.adjust("2 seconds")
      const events = Chunk.toArray(yield* Fiber.join(fiber))
      expect(answerText(events)).toBe("Back after the limit.")
      expect((yield* fake.requests).length).toBe(2)
    })
  )

  it.scoped("a 503 that persists is retried within the bound, then the last answer's own message reaches the error", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([refuse(503, "upstream busy 1"), refuse(503, "upstream busy 2"), refuse(503, "upstream busy 3")])
      // fastRetry: 3 attempts, waits of about 10 and 20 ms on the test clock.
      const { supervisor } = yield* liveSupervisor(fake.baseUrl)
      const fiber = yield* Effect.fork(Effect.flip(supervisor.draftTicket("retry the sync on 429")))
      // The test clock moves on while the fiber waits, however many of its sleeps one move covers.
      yield* waitFor(Effect.zipRight(TestClock.adjust("1 second"), fiber.poll), Option.isSome)
      const error = yield* Fiber.join(fiber)
      expect(error.message).toContain("OpenRouter answered HTTP 503: upstream busy 3 (gave up after the bounded retries)")
      expect((yield* fake.requests).length).toBe(3)
    })
  )

  it.scoped("a 401 is one clear error naming OPENROUTER_API_KEY, not retried, and the query is recorded as failed", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([refuse(401, "No auth credentials found")])
      const { supervisor, store } = yield* liveSupervisor(fake.baseUrl)

      const exit = yield* Effect.exit(Stream.runCollect(supervisor.ask({ question: "anything", scope: global, kind: "needsMe" })))

      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? Chunk.unsafeHead(Cause.failures(exit.cause)) : undefined
      expect(error).toMatchObject({ _tag: "SupervisorAuthError", status: 401 })
      expect(error?.message).toContain("OPENROUTER_API_KEY")
      expect(error?.message).toContain("No auth credentials found")
      expect((yield* fake.requests).length).toBe(1)
      const last = supervisorEvents(yield* store.events({})).at(-1)
      expect(last).toMatchObject({ _tag: "SupervisorQueryFinished", status: "failed" })
    })
  )

  it.scoped("a 402 is the same clear error, saying the account is out of credits", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([refuse(402, "Insufficient credits")])
      const { supervisor } = yield* liveSupervisor(fake.baseUrl)
      const error = yield* Effect.flip(supervisor.draftTicket("retry the sync on 429"))
      expect(error).toMatchObject({ _tag: "SupervisorAuthError", status: 402 })
      expect(error.message).toContain("credits")
    })
  )

  it.scoped("without OPENROUTER_API_KEY nothing is sent and the error says what to set", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([say("unused")])
      const { supervisor } = yield* liveSupervisor(fake.baseUrl, { key: false })
      const error = yield* Effect.flip(Stream.runCollect(supervisor.ask({ question: "hi", scope: global, kind: null })))
      expect(error._tag).toBe("SupervisorKeyMissing")
      expect(error.message).toContain("OPENROUTER_API_KEY")
      expect((yield* fake.requests).length).toBe(0)
    })
  )

  it.scoped("interrupting the stream cancels the query and records it as cancelled", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([{ kind: "stall", text: "Thinking about it" }])
      const { supervisor, store } = yield* liveSupervisor(fake.baseUrl)

      const fiber = yield* Effect.fork(Stream.runCollect(supervisor.ask({ question: "risks?", scope: global, kind: null })))
      yield* waitFor(fake.requests, (seen) => seen.length > 0)
      yield* Fiber.interrupt(fiber)

      const last = supervisorEvents(yield* store.events({})).at(-1)
      expect(last).toMatchObject({ _tag: "SupervisorQueryFinished", status: "cancelled" })
    })
  )

  it.scoped("no secret value appears in any request body, even when the store holds one", () =>
    Effect.gen(function* () {
      const fake = yield* makeFakeOpenRouter([say("Noted."), say("A line."), say("unused")])
      const { supervisor, store } = yield* liveSupervisor(fake.baseUrl)
      const sessionId = SessionId.make("s-leak")
      yield* store.append([
        new SessionSpawned({ sessionId, workItemId: null, ticketId: null, harness: "harness.scripted", model: null, worktreePath: "/tmp/w" }),
        new SessionEvent({
          sessionId,
          event: {
            _tag: "CommandExecution",
            itemId: "c1",
            command: "env",
            cwd: null,
            status: "completed",
            output: `LINEAR_API_KEY=${LINEAR_KEY} OPENROUTER_API_KEY=${OPENROUTER_KEY}`,
            exitCode: 0
          }
        })
      ])

      yield* Stream.runDrain(supervisor.ask({ question: "what changed?", scope: { _tag: "Session", sessionId }, kind: null }))
      yield* supervisor.sessionSummary(sessionId)

      const requests = yield* fake.requests
      expect(requests.length).toBe(2)
      for (const request of requests) {
        expect(request.raw).toContain("[redacted]")
        expect(request.raw).not.toContain(LINEAR_KEY)
        expect(request.raw).not.toContain(OPENROUTER_KEY)
      }
    })
  )
})

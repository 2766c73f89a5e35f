import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Either, Exit, Redacted, Schema } from "effect"
import { TrackerSettings } from "../../../src/domain/config.js"
import { TicketId } from "../../../src/domain/ids.js"
import { makeLinear } from "../../../src/layers/ticketing/Linear.js"
import type { TrackerRetryPolicy } from "../../../src/layers/ticketing/httpCall.js"
import { type FakeIssue, type LinearFakeOptions, linearFake, linearIssue } from "../../fakes/linear/server.js"
import { contractSeed, type SeedTicket, ticketingContract } from "./contract.js"
import { fastRetry, httpClient } from "./httpClient.js"

const API_KEY = "lin_api_secret_do_not_print"
const settings = Schema.decodeUnknownSync(TrackerSettings)({})
const seedIssues = (seed: ReadonlyArray<SeedTicket>): Array<FakeIssue> =>
  seed.map((s, n) => linearIssue(n + 1, { title: s.title, description: s.description, state: s.state }))

const linearAgainst = (options: LinearFakeOptions, retry: TrackerRetryPolicy = fastRetry, pageSize = 3) =>
  Effect.gen(function* () {
    const fake = yield* linearFake(options)
    const tracker = yield* makeLinear({ apiUrl: fake.url, apiKey: Redacted.make(API_KEY), settings, retry, pageSize }).pipe(
      Effect.provide(yield* httpClient)
    )
    return { fake, tracker }
  })

ticketingContract("linear", (seed) =>
  Effect.map(linearAgainst({ apiKey: API_KEY, issues: seedIssues(seed) }), ({ tracker }) => tracker)
)

const everything = { assignedToMe: true, states: [], search: null, limit: 100 }

describe("Linear live Layer against the fake", () => {
  it.scopedLive("pages with first/after up to fetch_limit and asks only for my issues", () =>
    Effect.gen(function* () {
      const mine = Array.from({ length: 10 }, (_, i) => linearIssue(i + 1))
      const theirs = linearIssue(99, { mine: false, title: "someone else's" })
      const { fake, tracker } = yield* linearAgainst({ apiKey: API_KEY, issues: [...mine, theirs] })
      const tickets = yield* tracker.list({ ...everything, limit: 7 })
      expect(tickets).toHaveLength(7)
      expect(tickets.some((t) => t.title === "someone else's")).toBe(false)
      expect(fake.calls).toEqual(["issues", "issues", "issues"])
      expect(tickets[0]).toMatchObject({ id: "linear:issue-10", identifier: "ENG-10", team: "ENG", project: "Web", labels: ["bug"] })
    }))

  it.scopedLive("retries 429 (with Retry-After), 400 RATELIMITED and 500 twice, then succeeds", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* linearAgainst({
        apiKey: API_KEY,
        issues: seedIssues(contractSeed),
        faults: [{ kind: "429", retryAfter: "0" }, { kind: "ratelimited400" }, { kind: "500" }, { kind: "500" }]
      }, { ...fastRetry, maxAttempts: 5 })
      const tickets = yield* tracker.list({ ...everything, limit: 3 })
      expect(tickets).toHaveLength(3)
      expect(fake.calls).toEqual(["fault:429", "fault:ratelimited400", "fault:500", "fault:500", "issues"])
    }))

  it.scopedLive("gives up after the attempt budget with one error naming the fault", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* linearAgainst({
        apiKey: API_KEY,
        faults: Array.from({ length: 10 }, () => ({ kind: "500" as const }))
      })
      const error = yield* Effect.flip(tracker.list(everything))
      expect(error._tag).toBe("TicketingError")
      expect(error.message).toContain("server error (HTTP 500)")
      expect(error.message).toContain("gave up after 4 attempts")
      expect(fake.calls).toHaveLength(4)
    }))

  it.scopedLive("a request that never answers times out and is retried", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* linearAgainst(
        { apiKey: API_KEY, issues: seedIssues(contractSeed), faults: [{ kind: "hang" }] },
        { ...fastRetry, requestTimeout: "300 millis" }
      )
      expect(yield* tracker.list({ ...everything, limit: 2 })).toHaveLength(2)
      expect(fake.calls).toEqual(["fault:hang", "issues"])
    }))

  it.scopedLive("a permanent 401 is one clear error naming LINEAR_API_KEY, without the key, and is not retried", () =>
    Effect.gen(function* () {
      const fake = yield* linearFake({ apiKey: "the-right-key" })
      const tracker = yield* makeLinear({ apiUrl: fake.url, apiKey: Redacted.make(API_KEY), settings, retry: fastRetry, pageSize: 3 }).pipe(
        Effect.provide(yield* httpClient)
      )
      const exit = yield* Effect.exit(tracker.list(everything))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = Exit.isFailure(exit) ? Cause.squash(exit.cause) : undefined
      expect(error).toMatchObject({ _tag: "TicketingAuthError", envVar: "LINEAR_API_KEY", status: 401 })
      expect(String(error)).toContain("check LINEAR_API_KEY")
      expect(JSON.stringify(exit)).not.toContain(API_KEY)
      expect(String(error)).not.toContain(API_KEY)
      expect(fake.calls).toEqual([])
    }))

  it.scopedLive("a malformed node fails the list with a decode error quoting that node", () =>
    Effect.gen(function* () {
      const issues = seedIssues(contractSeed)
      const broken = linearIssue(50)
      broken.node = { ...broken.node, title: 42, identifier: "ENG-BROKEN" }
      const { tracker } = yield* linearAgainst({ apiKey: API_KEY, issues: [...issues, broken] })
      const error = yield* Effect.flip(tracker.list(everything))
      expect(error._tag).toBe("TicketingDecodeError")
      if (error._tag !== "TicketingDecodeError") return
      expect(error.detail).toMatch(/data\.issues\.nodes\[\d+\]\.title/)
      expect(error.received).toContain("ENG-BROKEN")
    }))

  it.scopedLive("moves state by name per team, comments and attaches the PR link on the wire", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* linearAgainst({ apiKey: API_KEY, issues: seedIssues(contractSeed) })
      const id = TicketId.make("linear:issue-1")
      yield* tracker.updateState(id, "Implementing")
      yield* tracker.updateState(id, "PRDrafted")
      yield* tracker.addComment(id, "Draft PR opened")
      yield* tracker.attachLink(id, "https://github.com/acme/app/pull/7", "PR #7")
      expect(fake.issues[0]?.node["state"]).toMatchObject({ id: "st-review", name: "In Review" })
      // The team's states are read once and remembered.
      expect(fake.calls.filter((c) => c === "workflowStates")).toHaveLength(1)
      expect(fake.comments).toEqual([{ issueId: "issue-1", body: "Draft PR opened" }])
      expect(fake.attachments).toEqual([{ issueId: "issue-1", url: "https://github.com/acme/app/pull/7", title: "PR #7" }])
      const unmapped = yield* Effect.either(tracker.updateState(id, "New"))
      expect(Either.isLeft(unmapped) && unmapped.left.message).toContain("workflow_state_map has no entry for New")
    }))
})

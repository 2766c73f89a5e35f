import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { TicketId } from "../../../src/domain/ids.js"
import type { TrackerRetryPolicy } from "../../../src/layers/ticketing/httpCall.js"
import { makeJira } from "../../../src/layers/ticketing/Jira.js"
import { fromAdf, toAdf } from "../../../src/layers/ticketing/jiraAdf.js"
import { jiraFake, type JiraFakeOptions, jiraIssue } from "../../fakes/jira/server.js"
import { contractSeed, hostileTitle, type SeedTicket, ticketingContract } from "./contract.js"
import { fastRetry, httpClient } from "./httpClient.js"

const EMAIL = "me@example.test"
const TOKEN = "jira_token_secret_do_not_print"

const seedIssues = (seed: ReadonlyArray<SeedTicket>) =>
  seed.map((s, n) => jiraIssue(n + 1, { summary: s.title, description: s.description, status: s.state }))

const jiraAgainst = (options: Omit<JiraFakeOptions, "email" | "apiToken">, retry: TrackerRetryPolicy = fastRetry, apiToken = TOKEN) =>
  Effect.gen(function* () {
    const fake = yield* jiraFake({ email: EMAIL, apiToken: TOKEN, ...options })
    const tracker = yield* makeJira({
      baseUrl: fake.url,
      email: EMAIL,
      apiToken: Redacted.make(apiToken),
      projectKey: "ENG",
      issueType: "Task",
      stateMap: defaultWorkflowStateMap,
      retry,
      pageSize: 3
    }).pipe(Effect.provide(yield* httpClient))
    return { fake, tracker }
  })

ticketingContract("jira", (seed) => Effect.map(jiraAgainst({ issues: seedIssues(seed) }), ({ tracker }) => tracker))

const everything = { assignedToMe: true, states: [], search: null, limit: 100 }

describe("Jira Cloud against the fake", () => {
  it.scopedLive("searches with JQL, following nextPageToken until it is left out", () =>
    Effect.gen(function* () {
      const issues = [...seedIssues(contractSeed), jiraIssue(40, { summary: "not mine", mine: false }), jiraIssue(41, { summary: "other project", project: "OPS" })]
      const { fake, tracker } = yield* jiraAgainst({ issues })
      const tickets = yield* tracker.list({ ...everything, states: ["Todo", "In Progress"] })
      expect(tickets).toHaveLength(contractSeed.length)
      expect(fake.calls.filter((c) => c === "POST /search/jql")).toHaveLength(3)
      expect(fake.jql[0]).toBe('project = "ENG" AND assignee = currentUser() AND status in ("Todo", "In Progress") ORDER BY updated DESC')
      expect(tickets.find((t) => t.id === "jira:ENG-3")).toMatchObject({
        identifier: "ENG-3",
        project: "ENG",
        url: `${fake.url}/browse/ENG-3`,
        priority: 3,
        state: { name: "In Progress", type: "started" }
      })
    }))

  it.scopedLive("updatedSince becomes an updated >= clause in the person's time zone", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* jiraAgainst({ issues: seedIssues(contractSeed), timeZone: "America/New_York" })
      // 00:06 UTC on 1 January is 19:06 on 31 December in New York.
      const tickets = yield* tracker.list({ ...everything, updatedSince: new Date(Date.UTC(2025, 0, 1, 0, 6)) })
      expect(fake.jql.at(-1)).toContain('updated >= "2024/12/31 19:06"')
      expect(tickets.map((t) => t.identifier).sort()).toEqual(["ENG-6", "ENG-7", "ENG-8"])
    }))

  it.scopedLive("retries 429 (with Retry-After) and 500, then succeeds", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* jiraAgainst(
        { issues: seedIssues(contractSeed), faults: [{ kind: "429", retryAfter: "0" }, { kind: "500" }] },
        { ...fastRetry, maxAttempts: 5 }
      )
      expect(yield* tracker.health).toBe("jira: signed in as Me Myself")
      expect(fake.calls).toEqual(["fault:429", "fault:500", "GET /myself"])
    }))

  it.scopedLive("a 401 names JIRA_API_TOKEN and never shows the token; a malformed answer is a decode error", () =>
    Effect.gen(function* () {
      const { tracker } = yield* jiraAgainst({ issues: seedIssues(contractSeed) }, fastRetry, "wrong")
      const refused = yield* Effect.flip(tracker.list(everything))
      expect(refused).toMatchObject({ _tag: "TicketingAuthError", envVar: "JIRA_API_TOKEN", status: 401 })
      expect(JSON.stringify(refused)).not.toContain("wrong")
      const broken = yield* jiraAgainst({ issues: seedIssues(contractSeed), faults: [{ kind: "malformed" }] })
      const error = yield* Effect.flip(broken.tracker.list(everything))
      expect(error._tag).toBe("TicketingDecodeError")
      const sound = jiraIssue(5)
      const odd = yield* jiraAgainst({ issues: [{ ...sound, fields: { ...(sound["fields"] as object), summary: 5 } }] })
      const decode = yield* Effect.flip(odd.tracker.list(everything))
      expect(decode.message).toContain("issues[0].fields")
    }))

  it.scopedLive("moves by the transition whose target is the mapped status; comments in ADF; one remote link per URL", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* jiraAgainst({ issues: seedIssues(contractSeed) })
      const id = TicketId.make("jira:ENG-1")
      const moved = yield* tracker.updateState(id, "Implementing")
      expect(moved.state).toMatchObject({ name: "In Progress", type: "started" })
      expect(fake.calls).toContain("POST /issue/ENG-1/transitions")
      const canceled = yield* tracker.updateState(id, "Abandoned")
      expect(canceled.state).toMatchObject({ name: "Canceled", type: "canceled" })
      yield* tracker.addComment(id, "line one\nline two")
      expect(fake.comments[0]?.body).toEqual(toAdf("line one\nline two"))
      yield* tracker.attachLink(id, "https://github.com/acme/app/pull/3", "PR #3")
      yield* tracker.attachLink(id, "https://github.com/acme/app/pull/3", "PR #3")
      expect(fake.remoteLinks).toEqual([{ key: "ENG-1", globalId: "https://github.com/acme/app/pull/3" }])
    }))

  it.scopedLive("hostile text survives JQL and ADF; a key with ../ stays one path segment", () =>
    Effect.gen(function* () {
      const { tracker } = yield* jiraAgainst({ issues: seedIssues(contractSeed) })
      const found = yield* tracker.list({ ...everything, search: 'needle" OR project = "OPS' })
      expect(found).toEqual([])
      const hostile = yield* tracker.list({ ...everything, search: "passwd" })
      expect(hostile.map((t) => t.title)).toEqual([hostileTitle])
      const escape = yield* Effect.flip(tracker.get(TicketId.make("jira:../../myself")))
      expect(escape._tag).toBe("TicketingError")
      expect(fromAdf(toAdf("a\n\nb \u001b[31m"))).toBe("a\n\nb \u001b[31m")
    }))
})

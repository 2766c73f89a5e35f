import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { TicketId } from "../../../src/domain/ids.js"
import type { TrackerRetryPolicy } from "../../../src/layers/ticketing/httpCall.js"
import { makeShortcut } from "../../../src/layers/ticketing/Shortcut.js"
import { shortcutFake, type ShortcutFakeOptions, shortcutStory } from "../../fakes/shortcut/server.js"
import { contractSeed, type SeedTicket, ticketingContract } from "./contract.js"
import { fastRetry, httpClient } from "./httpClient.js"

const TOKEN = "sc_token_secret_do_not_print"

const seedStories = (seed: ReadonlyArray<SeedTicket>) =>
  seed.map((s, n) => shortcutStory(n + 1, { name: s.title, description: s.description, state: s.state }))

const shortcutAgainst = (options: ShortcutFakeOptions, retry: TrackerRetryPolicy = fastRetry, apiToken = TOKEN) =>
  Effect.gen(function* () {
    const fake = yield* shortcutFake(options)
    const tracker = yield* makeShortcut({
      apiUrl: fake.url,
      apiToken: Redacted.make(apiToken),
      stateMap: defaultWorkflowStateMap,
      retry,
      pageSize: 3
    }).pipe(Effect.provide(yield* httpClient))
    return { fake, tracker }
  })

ticketingContract("shortcut", (seed) =>
  Effect.map(shortcutAgainst({ apiToken: TOKEN, stories: seedStories(seed) }), ({ tracker }) => tracker)
)

const everything = { assignedToMe: true, states: [], search: null, limit: 100 }

describe("Shortcut live Layer against the fake", () => {
  it.scopedLive("searches my unarchived stories per state, following next", () =>
    Effect.gen(function* () {
      const stories = [
        ...seedStories(contractSeed),
        shortcutStory(40, { name: "not mine", mine: false }),
        { ...shortcutStory(41, { name: "archived" }), archived: true }
      ]
      const { fake, tracker } = yield* shortcutAgainst({ apiToken: TOKEN, stories })
      const tickets = yield* tracker.list(everything)
      expect(tickets.map((t) => t.title)).not.toContain("not mine")
      expect(tickets.map((t) => t.title)).not.toContain("archived")
      expect(tickets).toHaveLength(contractSeed.length)
      expect(fake.calls.filter((c) => c === "GET /search/stories")).toHaveLength(3)
      expect(tickets.find((t) => t.id === "shortcut:3")).toMatchObject({ identifier: "sc-3", state: { name: "In Progress", type: "started" } })
    }))

  it.scopedLive("retries 429 (with Retry-After) and 500 twice, then succeeds", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* shortcutAgainst(
        { apiToken: TOKEN, stories: seedStories(contractSeed), faults: [{ kind: "429", retryAfter: "0" }, { kind: "500" }, { kind: "500" }] },
        { ...fastRetry, maxAttempts: 5 }
      )
      expect(yield* tracker.health).toBe("shortcut: signed in as @me")
      expect(fake.calls).toEqual(["fault:429", "fault:500", "fault:500", "GET /member"])
    }))

  it.scopedLive("a permanent 401 names SHORTCUT_API_TOKEN and never shows the token", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* shortcutAgainst({ apiToken: "another" })
      const error = yield* Effect.flip(tracker.list(everything))
      expect(error).toMatchObject({ _tag: "TicketingAuthError", envVar: "SHORTCUT_API_TOKEN", status: 401 })
      expect(error.message).toBe("shortcut refused the credentials (HTTP 401): check SHORTCUT_API_TOKEN")
      expect(JSON.stringify(error)).not.toContain(TOKEN)
      expect(fake.calls).toEqual([])
    }))

  it.scopedLive("a malformed story fails with a decode error quoting it", () =>
    Effect.gen(function* () {
      const broken = { ...shortcutStory(77), name: null }
      const { tracker } = yield* shortcutAgainst({ apiToken: TOKEN, stories: [broken] })
      const error = yield* Effect.flip(tracker.list(everything))
      expect(error._tag).toBe("TicketingDecodeError")
      expect(error.message).toContain("data[0].name")
      expect(error.message).toContain("story/77")
    }))

  it.scopedLive("moves state by workflow state name, comments, and adds the PR as an external link once", () =>
    Effect.gen(function* () {
      const { fake, tracker } = yield* shortcutAgainst({ apiToken: TOKEN, stories: seedStories(contractSeed) })
      const id = TicketId.make("shortcut:1")
      yield* tracker.updateState(id, "Implementing")
      expect(fake.stories[0]?.["workflow_state_id"]).toBe(500002)
      yield* tracker.addComment(id, "PR opened")
      yield* tracker.attachLink(id, "https://github.com/acme/app/pull/3", "PR #3")
      yield* tracker.attachLink(id, "https://github.com/acme/app/pull/3", "PR #3")
      expect(fake.comments).toEqual([{ storyId: 1, text: "PR opened" }])
      expect(fake.stories[0]?.["external_links"]).toEqual(["https://github.com/acme/app/pull/3"])
    }))
})

import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import type { TicketingError } from "../../../src/domain/errors.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { LinearLive } from "../../../src/layers/ticketing/Linear.js"
import { ShortcutLive } from "../../../src/layers/ticketing/Shortcut.js"
import { describeSync, syncTickets } from "../../../src/programs/tickets/syncTickets.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import type { Ticketing } from "../../../src/services/Ticketing.js"
import { linearFake, linearIssue } from "../../fakes/linear/server.js"
import { shortcutFake, shortcutStory } from "../../fakes/shortcut/server.js"

const KEY = "secret-key"

/** The live tracker layer as `sync tickets` builds it, from a config naming the fake and the key. */
const liveSync = (tracker: Layer.Layer<Ticketing, TicketingError, AppConfig | HttpClient.HttpClient>, raw: Record<string, unknown>) =>
  Effect.gen(function* () {
    const loaded = yield* configFromValue(raw, "/nonexistent")
    const secret = Option.some(Redacted.make(KEY))
    const config = Layer.succeed(AppConfig, { ...loaded, secrets: { ...loaded.secrets, linearApiKey: secret, shortcutApiToken: secret } })
    const client = yield* Layer.build(NodeHttpClient.layerUndici)
    return yield* syncTickets().pipe(Effect.provide(tracker.pipe(Layer.provide(Layer.succeedContext(client)), Layer.provideMerge(config))))
  })

describe("complete syncs over the wire", () => {
  it.scopedLive("Linear: 120 assigned issues with fetch_limit = 100 are all synced, in pages of 100", () =>
    Effect.gen(function* () {
      const fake = yield* linearFake({ apiKey: KEY, issues: Array.from({ length: 120 }, (_, i) => linearIssue(i + 1)) })
      const report = yield* liveSync(LinearLive, { tracker: { sync_states: [] }, linear: { api_url: fake.url, fetch_limit: 100 } })
      expect(report).toMatchObject({ new: 120, fetched: 120, complete: true, incomplete: null })
      expect(fake.calls).toEqual(["issues", "issues"])
      expect((yield* (yield* EventStore).tickets({ provider: "linear" })).length).toBe(120)
    }).pipe(Effect.provide(EventStoreTest)))

  it.scopedLive("Shortcut: 120 stories with fetch_limit = 100 are all synced, in pages of Shortcut's 25", () =>
    Effect.gen(function* () {
      const fake = yield* shortcutFake({ apiToken: KEY, stories: Array.from({ length: 120 }, (_, i) => shortcutStory(i + 1)) })
      const report = yield* liveSync(ShortcutLive, { shortcut: { api_url: fake.url, fetch_limit: 100 } })
      expect(report).toMatchObject({ new: 120, fetched: 120, complete: true })
      expect(fake.calls.filter((call) => call === "GET /search/stories")).toHaveLength(5)
    }).pipe(Effect.provide(EventStoreTest)))

  it.scopedLive("Linear: reaching max_tickets is reported and unlists nothing", () =>
    Effect.gen(function* () {
      const fake = yield* linearFake({ apiKey: KEY, issues: Array.from({ length: 12 }, (_, i) => linearIssue(i + 1)) })
      // Every sync a full listing: the second one must meet the cut, not ask for what changed.
      const raw = (max: number) => ({ tracker: { sync_states: [], max_tickets: max, full_sync_every: 1 }, linear: { api_url: fake.url, fetch_limit: 5 } })
      expect(yield* liveSync(LinearLive, raw(100))).toMatchObject({ new: 12, complete: true })
      const capped = yield* liveSync(LinearLive, raw(10))
      expect(capped).toMatchObject({ fetched: 10, unchanged: 10, noLongerVisible: 0, complete: false, events: 0 })
      expect(describeSync(capped)).toBe(
        "linear: 0 new, 0 updated, 10 unchanged, 0 no longer visible (10 fetched); " +
          "incomplete: stopped at [tracker] max_tickets = 10; more tickets match, so no ticket was marked no longer visible"
      )
      expect((yield* (yield* EventStore).tickets({ provider: "linear" })).length).toBe(12)
    }).pipe(Effect.provide(EventStoreTest)))

  it.scopedLive("Shortcut: a search past the 1000 it pages through is an incomplete listing, which unlists nothing", () =>
    Effect.gen(function* () {
      const stories = Array.from({ length: 1010 }, (_, i) => shortcutStory(i + 1))
      const fake = yield* shortcutFake({ apiToken: KEY, stories: stories.slice(0, 20) })
      const raw = { tracker: { max_tickets: 2000, full_sync_every: 1 }, shortcut: { api_url: fake.url } }
      expect(yield* liveSync(ShortcutLive, raw)).toMatchObject({ new: 20, complete: true })
      // The 20 known stories are the oldest: the search's first 1000 leave them out.
      fake.stories.push(...stories.slice(20))
      const report = yield* liveSync(ShortcutLive, raw)
      expect(report).toMatchObject({ new: 990, fetched: 1000, noLongerVisible: 0, complete: false })
      expect(report.incomplete).toContain("matches 1010 stories and Shortcut pages through only the first 1000")
      expect((yield* (yield* EventStore).tickets({ provider: "shortcut" })).length).toBe(1010)
    }).pipe(Effect.provide(EventStoreTest)))
})

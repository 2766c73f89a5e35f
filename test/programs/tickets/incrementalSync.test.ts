import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import { TrackerSettings } from "../../../src/domain/config.js"
import type { TicketingError } from "../../../src/domain/errors.js"
import { TicketSyncCheckpoint } from "../../../src/domain/events.js"
import { configFromValue } from "../../../src/layers/config/ConfigLive.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { LinearLive } from "../../../src/layers/ticketing/Linear.js"
import { ShortcutLive } from "../../../src/layers/ticketing/Shortcut.js"
import { ticketId } from "../../../src/layers/ticketing/ticketNaming.js"
import { overlapMs, planListing } from "../../../src/programs/tickets/syncCheckpoint.js"
import { describeSync, syncTickets } from "../../../src/programs/tickets/syncTickets.js"
import { AppConfig } from "../../../src/services/AppConfig.js"
import { EventStore } from "../../../src/services/EventStore.js"
import type { Ticketing } from "../../../src/services/Ticketing.js"
import { engTeam, linearFake, linearIssue } from "../../fakes/linear/server.js"
import { shortcutFake, shortcutStory } from "../../fakes/shortcut/server.js"

const KEY = "secret-key"

type TrackerLayer = Layer.Layer<Ticketing, TicketingError, AppConfig | HttpClient.HttpClient>

/**
 * The live tracker built once and kept, as `run` keeps it between its periodic syncs; each call of
 * the answer is one sync (`full` as `sync tickets --full`).
 */
const keptTracker = (tracker: TrackerLayer, raw: Record<string, unknown>) =>
  Effect.gen(function* () {
    const loaded = yield* configFromValue(raw, "/nonexistent")
    const secret = Option.some(Redacted.make(KEY))
    const config = Layer.succeed(AppConfig, { ...loaded, secrets: { ...loaded.secrets, linearApiKey: secret, shortcutApiToken: secret } })
    const client = yield* Layer.build(NodeHttpClient.layerUndici)
    const context = yield* Layer.build(tracker.pipe(Layer.provide(Layer.succeedContext(client)), Layer.provideMerge(config)))
    return (full = false) => syncTickets(undefined, { full }).pipe(Effect.provide(context))
  })

/** The requests a fake served while `body` ran. */
const callsDuring = <A, E, R>(calls: ReadonlyArray<string>, body: Effect.Effect<A, E, R>) =>
  Effect.map(
    Effect.zip(Effect.sync(() => calls.length), body),
    ([before, result]) => ({ result, requests: calls.slice(before) })
  )

const minutes = (n: number) => n * 60_000
const ticketOf = (n: number) => ticketId("linear", `issue-${n}`)
const shortcutTicket = (n: number) => ticketId("shortcut", n)

describe("incremental ticket sync over the wire", () => {
  it.scopedLive("Linear: after a complete sync, a re-sync of 2,000 unchanged issues is ONE request and writes nothing", () =>
    Effect.gen(function* () {
      const fake = yield* linearFake({ apiKey: KEY, issues: Array.from({ length: 2000 }, (_, i) => linearIssue(i + 1)) })
      const sync = yield* keptTracker(LinearLive, { tracker: { max_tickets: 2000 }, linear: { api_url: fake.url, fetch_limit: 50 } })
      const store = yield* EventStore
      const first = yield* callsDuring(fake.calls, sync())
      expect(first.result).toMatchObject({ listing: "full", new: 2000, complete: true })
      expect(first.requests).toHaveLength(40)
      const seq = yield* store.lastSeq
      const again = yield* callsDuring(fake.calls, sync())
      expect(again.requests).toEqual(["issues"])
      // Issues are a minute apart: the overlap brings back the newest six, all unchanged.
      expect(again.result).toMatchObject({ listing: "incremental", new: 0, updated: 0, unchanged: 6, fetched: 6, events: 0, complete: true })
      expect(again.result.since).toBe(Date.UTC(2025, 0, 1) + minutes(2000) - overlapMs)
      expect(describeSync(again.result)).toContain("(6 fetched, changed since 2025-01-02T09:15:00.000Z)")
      expect(yield* store.lastSeq).toBe(seq)
      expect(yield* store.ticketCount({ provider: "linear" })).toBe(2000)
    }).pipe(Effect.provide(EventStoreTest)))

  it.scopedLive("Linear: changes are merged, a move out of the synced states unlists at once, a deleted issue only at the full listing", () =>
    Effect.gen(function* () {
      const fake = yield* linearFake({ apiKey: KEY, issues: Array.from({ length: 30 }, (_, i) => linearIssue(i + 1)) })
      const sync = yield* keptTracker(LinearLive, { linear: { api_url: fake.url } })
      const store = yield* EventStore
      expect(yield* sync()).toMatchObject({ listing: "full", new: 30 })
      const now = new Date().toISOString()
      const edit = (n: number, change: Record<string, unknown>) => {
        const issue = fake.issues.find((i) => i.node["id"] === `issue-${n}`)
        if (issue !== undefined) issue.node = { ...issue.node, ...change, updatedAt: now }
      }
      edit(3, { title: "renamed" })
      edit(4, { state: engTeam.states.find((s) => s.name === "Done") })
      fake.issues.splice(fake.issues.findIndex((i) => i.node["id"] === "issue-5"), 1)
      fake.issues.push({ ...linearIssue(31), node: { ...linearIssue(31).node, updatedAt: now } })

      const changed = yield* callsDuring(fake.calls, sync())
      expect(changed.requests).toEqual(["issues"])
      expect(changed.result).toMatchObject({ listing: "incremental", new: 1, updated: 1, noLongerVisible: 1 })
      const listed = (yield* store.tickets({ provider: "linear" })).map((t) => t.identifier)
      expect(listed).toContain("ENG-31")
      expect(listed).not.toContain("ENG-4")
      // Gone from the tracker, but an incremental listing cannot tell: it stays until the full one.
      expect(listed).toContain("ENG-5")
      expect(Option.map(yield* store.ticket(ticketOf(3)), (t) => t.title)).toEqual(Option.some("renamed"))
      expect(Option.map(yield* store.ticket(ticketOf(4)), (t) => t.state.name)).toEqual(Option.some("Done"))

      const full = yield* sync(true)
      expect(full).toMatchObject({ listing: "full", noLongerVisible: 1, since: null })
      expect((yield* store.tickets({ provider: "linear" })).map((t) => t.identifier)).not.toContain("ENG-5")
      // The checkpoint moved to the newest change the tracker showed, and says when the full listing was.
      const [checkpoint] = yield* store.events({ types: ["TicketSyncCheckpoint"], newestFirst: true, limit: 1 })
      expect(checkpoint?.event).toMatchObject({ _tag: "TicketSyncCheckpoint", provider: "linear", highWater: Date.parse(now) })
    }).pipe(Effect.provide(EventStoreTest)))

  it.scopedLive("Shortcut: after a complete sync, a re-sync of 1,000 unchanged stories is ONE request (the story query by update time)", () =>
    Effect.gen(function* () {
      // 1,000: the most one complete Shortcut search lists.
      const fake = yield* shortcutFake({ apiToken: KEY, stories: Array.from({ length: 1000 }, (_, i) => shortcutStory(i + 1)) })
      const raw = { shortcut: { api_url: fake.url } }
      const sync = yield* keptTracker(ShortcutLive, raw)
      const store = yield* EventStore
      expect(yield* sync()).toMatchObject({ listing: "full", new: 1000, complete: true })
      const seq = yield* store.lastSeq
      const again = yield* callsDuring(fake.calls, sync())
      expect(again.requests).toEqual(["POST /stories/search"])
      expect(again.result).toMatchObject({ listing: "incremental", new: 0, updated: 0, unchanged: 6, events: 0, complete: true })
      expect(yield* store.lastSeq).toBe(seq)

      const story = fake.stories.find((s) => s["id"] === 7)
      if (story !== undefined) Object.assign(story, { name: "renamed", updated_at: new Date().toISOString() })
      const changed = yield* callsDuring(fake.calls, sync())
      expect(changed.requests).toEqual(["POST /stories/search"])
      expect(changed.result).toMatchObject({ listing: "incremental", updated: 1 })
      expect(Option.map(yield* store.ticket(shortcutTicket(7)), (t) => [t.title, t.description])).toEqual(
        Option.some(["renamed", "Description of story 7"])
      )

      // A new process reads who it is and the workflows once, then asks.
      const fresh = yield* keptTracker(ShortcutLive, raw)
      const cold = yield* callsDuring(fake.calls, fresh())
      expect(cold.requests).toEqual(["GET /member", "POST /stories/search", "GET /workflows"])
      expect(cold.result).toMatchObject({ listing: "incremental", events: 0 })
    }).pipe(Effect.provide(EventStoreTest)))
})

describe("when a sync lists everything", () => {
  const settings = Schema.decodeUnknownSync(TrackerSettings)({ sync_interval_secs: 300, full_sync_every: 10 })
  const at = (highWater: number | null, fullAt: number) =>
    Option.some(new TicketSyncCheckpoint({ provider: "linear", scope: "s", highWater, fullAt }))
  const interval = 300_000

  it("the 10th sync after a full listing is full again, the 9 before it incremental from the mark less the overlap", () => {
    expect(planListing(at(5_000_000, 0), settings, 9 * interval, false)).toEqual({ _tag: "incremental", since: new Date(5_000_000 - overlapMs) })
    // A sync that comes a little early (scheduler jitter) still counts as the 10th.
    expect(planListing(at(5_000_000, 0), settings, 10 * interval - 1000, false)).toMatchObject({ _tag: "full", reason: "due" })
  })

  it("with no checkpoint, no ticket seen yet, a clock that went back, --full, or full_sync_every = 1, it is full", () => {
    expect(planListing(Option.none(), settings, 0, false)).toMatchObject({ _tag: "full" })
    expect(planListing(at(null, 0), settings, 1000, false)).toMatchObject({ _tag: "full" })
    expect(planListing(at(5_000_000, 10 * interval), settings, interval, false)).toMatchObject({ _tag: "full" })
    expect(planListing(at(5_000_000, 0), settings, 1000, true)).toMatchObject({ _tag: "full", reason: "asked for" })
    expect(planListing(at(5_000_000, 0), { ...settings, full_sync_every: 1 }, 1000, false)).toMatchObject({ _tag: "full" })
  })
})

import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { InboxItemResolved } from "../../../src/domain/events.js"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { giveUpsFrom, makeStartAttempts, MAX_START_ATTEMPTS } from "../../../src/programs/engine/startAttempts.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { ticketId } from "../../support/sampleEvents.js"

describe("dispatch's start attempts", () => {
  it.effect("gives up after the limit with one inbox item; dismissed, the ticket is tried again and a later give-up is a new item", () =>
    Effect.gen(function* () {
      const store = yield* EventStore
      const attempts = yield* makeStartAttempts(0)
      const id = ticketId(1)
      const view = Effect.map(store.inbox({ openOnly: false }), (inbox) => giveUpsFrom(inbox)(id))
      for (let n = 1; n < MAX_START_ATTEMPTS; n++) expect(yield* attempts.failed(id, "LOC-1", null, "no worktree", yield* view)).toBe(false)
      expect(yield* attempts.failed(id, "LOC-1", null, "no worktree", yield* view)).toBe(true)
      const first = yield* view
      expect(first).toMatchObject({ waiting: true, given: 1 })
      expect(yield* attempts.mayTry(id, first)).toBe(false)

      // The person dismisses it: the ticket may be tried again, and the count starts over.
      yield* store.append([new InboxItemResolved({ inboxItemId: (yield* store.inbox({ openOnly: true }))[0]!.id, resolution: "fixed" })])
      const dismissed = yield* view
      expect(dismissed.waiting).toBe(false)
      expect(yield* attempts.mayTry(id, dismissed)).toBe(true)
      expect(yield* attempts.failed(id, "LOC-1", null, "still broken", dismissed)).toBe(false)
      for (let n = 2; n <= MAX_START_ATTEMPTS; n++) yield* attempts.failed(id, "LOC-1", null, "still broken", yield* view)
      const open = yield* store.inbox({ openOnly: true })
      expect(open.map((entry) => entry.title)).toEqual(["Could not start LOC-1"])
      expect((yield* view).given).toBe(2)
    }).pipe(Effect.provide(EventStoreTest)))
})

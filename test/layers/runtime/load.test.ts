import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { EventStoreTest } from "../../../src/layers/eventStore/EventStoreTest.js"
import { runLoad } from "./loadScenario.js"

describe("runtime under load", () => {
  it.live(
    "20 sessions × 5,000 events with a UI that never reads: all 100,000 stored, buffers bounded, the UI sees a skip marker",
    () =>
      Effect.gen(function* () {
        const result = yield* runLoad(
          { sessions: 20, eventsPerSession: 5000, flushMs: 50, uiCapacity: 1000, uiEvery: null, uiBatch: 0 },
          EventStoreTest
        )
        expect(result.lost).toBe(0)
        // Deltas of one item were joined into fewer rows; the count above is of the events inside them.
        expect(result.storedRows).toBeLessThan(100_000)
        expect(result.uiFirst).toMatchObject({ _tag: "Skipped" })
        expect(result.uiFirst?._tag === "Skipped" && result.uiFirst.count).toBe(result.uiDropped)
        expect(result.uiDropped).toBeGreaterThan(0)
        // Memory stays bounded: no buffer ever held more than its capacity.
        expect(result.uiMaxDepth).toBeLessThanOrEqual(1000)
        expect(result.storeMaxDepth).toBeLessThanOrEqual(4096)
      }),
    120_000
  )
})

import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { envelope } from "../../../src/domain/bus.js"
import { SessionEvent } from "../../../src/domain/events.js"
import { EventBusLive } from "../../../src/layers/eventBus/EventBusLive.js"
import { makeModelLimitPause } from "../../../src/programs/engine/modelLimits.js"
import { EventBus } from "../../../src/services/EventBus.js"
import { sessionId } from "../../support/sampleEvents.js"

const turnEnded = (status: "completed" | "failed", error: string | null) =>
  envelope(new SessionEvent({ sessionId: sessionId(1), event: { _tag: "TurnCompleted", turnId: "t", status, usage: null, error } }))

/** Lets the watcher fiber take what was published. */
const settle = Effect.repeatN(Effect.yieldNow(), 20)

describe("model limits pause new work", () => {
  it.scoped("a rate-limited turn pauses new starts, the next doubles it, a completed turn ends it; other failures do not", () =>
    Effect.gen(function* () {
      const bus = yield* EventBus
      const pause = yield* makeModelLimitPause(300_000)
      expect(yield* pause.pausedUntil).toBeUndefined()

      yield* bus.publish(turnEnded("failed", "stream error: exceeded retry limit, last status: 500 Internal Server Error"))
      yield* settle
      expect(yield* pause.pausedUntil).toBeUndefined()

      yield* bus.publish(turnEnded("failed", "429 Too Many Requests: Rate limit reached for gpt-5"))
      yield* settle
      expect(yield* pause.pausedUntil).toBe(30_000)
      yield* bus.publish(turnEnded("failed", "You've hit your usage limit."))
      yield* settle
      expect(yield* pause.pausedUntil).toBe(60_000)
      yield* TestClock.adjust("61 seconds")
      expect(yield* pause.pausedUntil).toBeUndefined()

      yield* bus.publish(turnEnded("failed", "rate limit"))
      yield* settle
      expect(yield* pause.pausedUntil).toBe(61_000 + 120_000)
      yield* bus.publish(turnEnded("completed", null))
      yield* settle
      expect(yield* pause.pausedUntil).toBeUndefined()
    }).pipe(Effect.provide(EventBusLive)))
})

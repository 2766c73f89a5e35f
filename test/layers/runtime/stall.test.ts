import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import type { DomainEvent } from "../../../src/domain/events.js"
import { now } from "../../../src/layers/harness/Scripted.js"
import { SessionRuntime } from "../../../src/services/SessionRuntime.js"
import { recordBus, request, runtimeLayer, sid } from "./fixture.js"

// stall_timeout 30 s, retries 10 s doubling capped at 30 s, 3 retries, then the inbox.
const options = { runtime: { stall: { timeoutMs: 30_000, baseMs: 10_000, capMs: 30_000, maxRetries: 3 } } }

const nudges = (events: ReadonlyArray<DomainEvent>) =>
  events.flatMap((e) => (e._tag === "AgentInstructed" && e.reason === "stallRetry" ? [e.attempt] : []))
const stallItems = (events: ReadonlyArray<DomainEvent>) =>
  events.flatMap((e) => (e._tag === "InboxItemCreated" && e.title === "The agent stopped responding" ? [e.body] : []))

/** Moves the TestClock to the absolute second `t`. */
const clockAt = (t: number) => TestClock.setTime(t * 1000)

describe("stall detection", () => {
  it.scoped("a silent Running session is nudged at +10, +20, +30 (capped) s after stalling, then goes to the inbox once", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("quiet"))
      const schedule: ReadonlyArray<readonly [number, ReadonlyArray<number>, number]> = [
        [29, [], 0],
        [39, [], 0],
        [40, [1], 0],
        [59, [1], 0],
        [60, [1, 2], 0],
        [89, [1, 2], 0],
        [90, [1, 2, 3], 0],
        [119, [1, 2, 3], 0],
        [120, [1, 2, 3], 1],
        [150, [1, 2, 3], 1]
      ]
      for (const [t, expectedNudges, inboxItems] of schedule) {
        yield* clockAt(t)
        const all = yield* events
        expect({ t, nudges: nudges(all), inbox: stallItems(all).length }).toEqual({ t, nudges: expectedNudges, inbox: inboxItems })
      }
      expect(stallItems(yield* events)[0]).toBe(
        "No event for 120 s; 3 nudge(s) did not help. Look at the session, then send input or kill it."
      )
      const view = Option.getOrThrow(yield* runtime.session(sid("quiet")))
      expect(view).toMatchObject({ state: "Running", stalled: true, stallRetries: 3 })
    }).pipe(Effect.provide(runtimeLayer({ script: () => [now({ _tag: "TurnStarted", turnId: "t1" })] }, options))))

  it.scoped("an event resets the stall: the next stall is counted from it", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("wakes"))
      yield* clockAt(40)
      expect(nudges(yield* events)).toEqual([1])
      // The nudge made the agent answer at 40 s: silent again from there, stalled at 70, nudged at 80.
      yield* clockAt(79)
      expect(nudges(yield* events)).toEqual([1])
      expect(Option.getOrThrow(yield* runtime.session(sid("wakes"))).stalled).toBe(true)
      yield* clockAt(80)
      expect(nudges(yield* events)).toEqual([1, 1])
    }).pipe(
      Effect.provide(
        runtimeLayer(
          {
            script: () => [now({ _tag: "TurnStarted", turnId: "t1" })],
            onInput: (_spec, _text, count) => (count === 1 ? [now({ _tag: "TextDelta", itemId: "m", text: "still here" })] : [])
          },
          options
        )
      )
    ))

  it.scoped("an Idle session waiting for the person is never stalled", () =>
    Effect.gen(function* () {
      const runtime = yield* SessionRuntime
      const events = yield* recordBus
      yield* runtime.start(request("idle"))
      yield* clockAt(60)
      expect(nudges(yield* events)).toEqual([])
      expect(Option.getOrThrow(yield* runtime.session(sid("idle")))).toMatchObject({ state: "Idle", stalled: false })
    }).pipe(Effect.provide(runtimeLayer({ script: () => [] }, options))))
})

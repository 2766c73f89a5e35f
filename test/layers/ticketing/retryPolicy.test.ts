import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, Ref, TestClock } from "effect"
import { retryAfter } from "../../../src/layers/ticketing/httpCall.js"
import { type RetryPolicy, TransientFault, withRetry } from "../../../src/layers/ticketing/retryPolicy.js"

const policy: RetryPolicy = {
  maxAttempts: 5,
  baseDelay: "1 second",
  maxDelay: "60 seconds",
  maxElapsed: "5 minutes",
  requestTimeout: "30 seconds"
}

/** Fails `failures` times with the given Retry-After, then succeeds; counts attempts. */
const flaky = (failures: number, asked: Option.Option<Duration.Duration>) =>
  Effect.gen(function* () {
    const attempts = yield* Ref.make(0)
    const operation = Ref.updateAndGet(attempts, (n) => n + 1).pipe(
      Effect.flatMap((n) => (n <= failures ? Effect.fail(new TransientFault({ reason: "rate limited", retryAfter: asked })) : Effect.succeed("ok")))
    )
    return { attempts: Ref.get(attempts), operation }
  })

describe("retry policy (TestClock)", () => {
  it.effect("waits at least the server's Retry-After before the next attempt", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(1, Option.some(Duration.seconds(30)))
      const fiber = yield* Effect.fork(withRetry(policy, "linear", "list", operation))
      yield* TestClock.adjust("29 seconds")
      expect(yield* attempts).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* attempts).toBe(2)
    }))

  it.effect("caps a huge Retry-After at maxDelay", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(1, Option.some(Duration.hours(2)))
      const fiber = yield* Effect.fork(withRetry(policy, "linear", "list", operation))
      yield* TestClock.adjust("60 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* attempts).toBe(2)
    }))

  it.effect("backs off exponentially and stops at maxAttempts with one error", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(100, Option.none())
      const fiber = yield* Effect.fork(Effect.flip(withRetry(policy, "shortcut", "search stories", operation)))
      // Jittered 1, 2, 4, 8 s (±20%): after 1.3 s only the first retry can have run.
      yield* TestClock.adjust("1300 millis")
      expect(yield* attempts).toBe(2)
      yield* TestClock.adjust("30 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error.message).toBe("shortcut: search stories failed: rate limited (gave up after 5 attempts)")
      expect(yield* attempts).toBe(5)
    }))

  it.effect("stops retrying once maxElapsed has passed", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(100, Option.some(Duration.seconds(50)))
      const fiber = yield* Effect.fork(Effect.flip(withRetry({ ...policy, maxAttempts: 100, maxElapsed: "2 minutes" }, "linear", "list", operation)))
      yield* TestClock.adjust("10 minutes")
      expect((yield* Fiber.join(fiber))._tag).toBe("TicketingError")
      // 0 s, 50 s, 100 s, 150 s: the attempt at 150 s is past the budget and is the last.
      expect(yield* attempts).toBe(4)
    }))
})

describe("Retry-After parsing", () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0)
  it("reads seconds, an HTTP date, and Linear's reset time", () => {
    expect(retryAfter({ "retry-after": "7" }, now)).toEqual(Option.some(Duration.seconds(7)))
    expect(retryAfter({ "retry-after": "Wed, 01 Jan 2025 12:00:30 GMT" }, now)).toEqual(Option.some(Duration.millis(30_000)))
    expect(retryAfter({ "x-ratelimit-requests-reset": String(now + 4_000) }, now)).toEqual(Option.some(Duration.millis(4_000)))
    expect(retryAfter({ "retry-after": "soon" }, now)).toEqual(Option.none())
    expect(retryAfter({}, now)).toEqual(Option.none())
  })
})

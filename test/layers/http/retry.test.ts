import { describe, expect, it } from "@effect/vitest"
import { Data, Duration, Effect, Fiber, Option, Ref, TestClock } from "effect"
import { isTransientFault, type RetryPolicy, retryTransient, TransientFault } from "../../../src/layers/http/retry.js"
import { retryAfter } from "../../../src/layers/http/retryAfter.js"

const policy: RetryPolicy = {
  maxAttempts: 5,
  baseDelay: "1 second",
  maxDelay: "60 seconds",
  maxElapsed: "5 minutes"
}

class AuthRefused extends Data.TaggedError("AuthRefused") {}

const retried = (retryPolicy: RetryPolicy) =>
  retryTransient({
    policy: retryPolicy,
    isRetryable: isTransientFault,
    exhausted: (fault, attempts) => Effect.fail(`${fault.reason} (gave up after ${attempts} attempts)`)
  })

/** Fails `failures` times with the given fault, then succeeds; counts attempts. */
const flaky = (failures: number, fault: TransientFault | AuthRefused) =>
  Effect.gen(function* () {
    const attempts = yield* Ref.make(0)
    const operation = Ref.updateAndGet(attempts, (n) => n + 1).pipe(
      Effect.flatMap((n) => (n <= failures ? Effect.fail(fault) : Effect.succeed("ok")))
    )
    return { attempts: Ref.get(attempts), operation }
  })

const rateLimited = (asked: Option.Option<Duration.Duration>) => new TransientFault({ reason: "rate limited", retryAfter: asked })

describe("retryTransient (TestClock)", () => {
  /** One fault asking for `asked`, then success: the retry must come exactly `expected` later. */
  const retriesAfter = (asked: Duration.Duration, expected: Duration.Duration) =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(1, rateLimited(Option.some(asked)))
      const fiber = yield* Effect.fork(retried(policy)(operation))
      yield* TestClock.adjust(Duration.subtract(expected, Duration.millis(1)))
      expect(yield* attempts).toBe(1)
      yield* TestClock.adjust("1 millis")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* attempts).toBe(2)
    })

  it.effect("waits at least the server's Retry-After before the next attempt", () =>
    retriesAfter(Duration.seconds(30), Duration.seconds(30)))

  it.effect("caps a huge Retry-After at maxDelay", () => retriesAfter(Duration.hours(2), Duration.seconds(60)))

  it.effect("backs off exponentially and stops at maxAttempts, handing the last fault to `exhausted`", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(100, rateLimited(Option.none()))
      const fiber = yield* Effect.fork(Effect.flip(retried(policy)(operation)))
      // Jittered 1, 2, 4, 8 s (±20%): after 1.3 s only the first retry can have run.
      yield* TestClock.adjust("1300 millis")
      expect(yield* attempts).toBe(2)
      yield* TestClock.adjust("30 seconds")
      expect(yield* Fiber.join(fiber)).toBe("rate limited (gave up after 5 attempts)")
      expect(yield* attempts).toBe(5)
    }))

  it.effect("stops retrying once maxElapsed has passed", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(100, rateLimited(Option.some(Duration.seconds(50))))
      const fiber = yield* Effect.fork(Effect.flip(retried({ ...policy, maxAttempts: 100, maxElapsed: "2 minutes" })(operation)))
      yield* TestClock.adjust("10 minutes")
      expect(yield* Fiber.join(fiber)).toBe("rate limited (gave up after 4 attempts)")
      // 0 s, 50 s, 100 s, 150 s: the attempt at 150 s is past the budget and is the last.
      expect(yield* attempts).toBe(4)
    }))

  it.effect("never retries a failure that is not retryable", () =>
    Effect.gen(function* () {
      const { attempts, operation } = yield* flaky(100, new AuthRefused())
      const error = yield* Effect.flip(retried(policy)(operation))
      expect(error).toBeInstanceOf(AuthRefused)
      expect(yield* attempts).toBe(1)
    }))
})

describe("Retry-After parsing", () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0)
  it("reads delta seconds, an HTTP date, and Linear's reset time", () => {
    expect(retryAfter({ "retry-after": "7" }, now)).toEqual(Option.some(Duration.seconds(7)))
    expect(retryAfter({ "retry-after": " 1.5 " }, now)).toEqual(Option.some(Duration.millis(1500)))
    expect(retryAfter({ "retry-after": "Wed, 01 Jan 2025 12:00:30 GMT" }, now)).toEqual(Option.some(Duration.millis(30_000)))
    expect(retryAfter({ "retry-after": "Wed, 01 Jan 2025 11:00:00 GMT" }, now)).toEqual(Option.some(Duration.zero))
    expect(retryAfter({ "x-ratelimit-requests-reset": String(now + 4_000) }, now)).toEqual(Option.some(Duration.millis(4_000)))
    expect(retryAfter({ "x-ratelimit-requests-reset": String(now - 4_000) }, now)).toEqual(Option.none())
    expect(retryAfter({ "retry-after": "soon" }, now)).toEqual(Option.none())
    expect(retryAfter({ "retry-after": "" }, now)).toEqual(Option.none())
    expect(retryAfter({}, now)).toEqual(Option.none())
  })
})

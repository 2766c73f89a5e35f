import { Data, Duration, Effect, Option, Ref, Schedule } from "effect"
import { TicketingError } from "../../domain/errors.js"

/** How hard a live tracker Layer tries before giving up. Injectable so tests never sleep for real. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number
  readonly baseDelay: Duration.DurationInput
  /** No single wait is longer than this, even when the server asks for more. */
  readonly maxDelay: Duration.DurationInput
  /** No retry starts after this much time has passed since the first attempt. */
  readonly maxElapsed: Duration.DurationInput
  readonly requestTimeout: Duration.DurationInput
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  baseDelay: "500 millis",
  maxDelay: "60 seconds",
  maxElapsed: "3 minutes",
  requestTimeout: "30 seconds"
}

/** A fault worth another attempt: rate limit, 5xx, timeout, dropped connection. Never leaves a Layer. */
export class TransientFault extends Data.TaggedError("TransientFault")<{
  readonly reason: string
  readonly retryAfter: Option.Option<Duration.Duration>
}> {}

const retryAfterOf = (error: unknown): Option.Option<Duration.Duration> =>
  error instanceof TransientFault ? error.retryAfter : Option.none()

/**
 * Exponential backoff with jitter, never shorter than the server's Retry-After, each wait capped by
 * `maxDelay`, bounded by attempts and by elapsed time.
 */
export const retrySchedule = <E>(policy: RetryPolicy): Schedule.Schedule<unknown, E> => {
  const cap = Duration.decode(policy.maxDelay)
  const backoff = Schedule.exponential(policy.baseDelay, 2).pipe(Schedule.jittered)
  return Schedule.identity<E>().pipe(
    Schedule.zipLeft(backoff),
    Schedule.modifyDelay((error, delay) =>
      Duration.min(
        Option.match(retryAfterOf(error), { onNone: () => delay, onSome: (asked) => Duration.max(delay, asked) }),
        cap
      )
    ),
    Schedule.intersect(Schedule.recurs(Math.max(0, policy.maxAttempts - 1))),
    Schedule.upTo(policy.maxElapsed)
  )
}

/** Retries transient faults within the policy; when they persist, one TicketingError says so. */
export const withRetry = <A, E>(
  policy: RetryPolicy,
  provider: string,
  operation: string,
  effect: Effect.Effect<A, E | TransientFault>
): Effect.Effect<A, E | TicketingError> =>
  Effect.gen(function* () {
    const attempts = yield* Ref.make(0)
    return yield* Ref.update(attempts, (n) => n + 1).pipe(
      Effect.zipRight(effect),
      Effect.retry({
        schedule: retrySchedule<E | TransientFault>(policy),
        while: (error) => error instanceof TransientFault
      }),
      Effect.catchIf(
        (error): error is TransientFault => error instanceof TransientFault,
        (fault) =>
          Effect.flatMap(Ref.get(attempts), (n) =>
            Effect.fail(
              new TicketingError({ provider, operation, detail: `${fault.reason} (gave up after ${n} attempt${n === 1 ? "" : "s"})` })
            )
          )
      )
    )
  })

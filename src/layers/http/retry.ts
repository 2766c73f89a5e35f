import { Data, Duration, Effect, Option, Ref, Schedule } from "effect"

/** How hard a Layer retries a remote service before giving up. Injectable so tests never sleep for real. */
export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number
  readonly baseDelay: Duration.DurationInput
  /** No single wait is longer than this, even when the server asks for more. */
  readonly maxDelay: Duration.DurationInput
  /** No retry starts after this much time has passed since the first attempt. */
  readonly maxElapsed: Duration.DurationInput
}

/** Only these statuses are worth another attempt; auth errors and other 4xx never are. */
export const isRetryableStatus = (status: number): boolean => status === 429 || (status >= 500 && status <= 599)

/** A failure worth another attempt: it may carry the server's Retry-After. */
export interface Retryable {
  readonly retryAfter: Option.Option<Duration.Duration>
}

/** A fault worth another attempt: rate limit, 5xx, timeout, dropped connection. Never leaves a Layer. */
export class TransientFault extends Data.TaggedError("TransientFault")<{
  readonly reason: string
  readonly retryAfter: Option.Option<Duration.Duration>
}> {}

export const isTransientFault = (error: unknown): error is TransientFault => error instanceof TransientFault

/**
 * Jittered exponential backoff, never shorter than the server's Retry-After (read from the inputs
 * that `isRetryable` recognises), each wait capped by `maxDelay`, bounded by attempts and by elapsed time.
 */
export const retrySchedule = (
  policy: RetryPolicy,
  isRetryable: (input: unknown) => input is Retryable
): Schedule.Schedule<unknown, unknown> => {
  const cap = Duration.decode(policy.maxDelay)
  const asked = (input: unknown) => (isRetryable(input) ? input.retryAfter : Option.none())
  return Schedule.identity<unknown>().pipe(
    Schedule.zipLeft(Schedule.exponential(policy.baseDelay, 2).pipe(Schedule.jittered)),
    Schedule.modifyDelay((input, delay) =>
      Duration.min(Option.match(asked(input), { onNone: () => delay, onSome: (wait) => Duration.max(delay, wait) }), cap)
    ),
    Schedule.intersect(Schedule.recurs(Math.max(0, policy.maxAttempts - 1))),
    Schedule.upTo(policy.maxElapsed)
  )
}

/**
 * Runs `effect`, again while it fails with a retryable fault (`isRetryable`) and `policy` allows;
 * when the faults persist, `exhausted` decides the outcome from the last one and the attempts made.
 */
export const retryTransient =
  <F extends Retryable, A2, E2>(options: {
    readonly policy: RetryPolicy
    readonly isRetryable: (error: unknown) => error is F
    readonly exhausted: (fault: F, attempts: number) => Effect.Effect<A2, E2>
  }) =>
  <A, E, R>(effect: Effect.Effect<A, E | F, R>): Effect.Effect<A | A2, Exclude<E, F> | E2, R> =>
    Effect.flatMap(Ref.make(0), (attempts) =>
      Ref.update(attempts, (n) => n + 1).pipe(
        Effect.zipRight(effect),
        Effect.retry({ schedule: retrySchedule(options.policy, options.isRetryable), while: options.isRetryable }),
        Effect.catchIf(options.isRetryable, (fault) => Effect.flatMap(Ref.get(attempts), (n) => options.exhausted(fault, n)))
      )
    )

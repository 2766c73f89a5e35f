import { HttpClient, type HttpClientResponse } from "@effect/platform"
import { Clock, Duration, Effect } from "effect"

/** How hard the supervisor retries OpenRouter on 429 and 5xx before giving up. */
export interface ModelRetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number
  readonly baseDelay: Duration.DurationInput
  /** No single wait is longer, even when Retry-After asks for more. */
  readonly maxDelay: Duration.DurationInput
}

export const defaultModelRetryPolicy: ModelRetryPolicy = {
  maxRetries: 4,
  baseDelay: "1 second",
  maxDelay: "60 seconds"
}

const isRetryable = (status: number): boolean => status === 429 || (status >= 500 && status <= 599)

/** Retry-After as seconds or as an HTTP date, relative to `now`. */
export const parseRetryAfter = (value: string | undefined, now: number): Duration.Duration | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Duration.millis(Math.round(Number(trimmed) * 1000))
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - now))
}

const backoff = (policy: ModelRetryPolicy, retry: number): Duration.Duration =>
  Duration.times(Duration.decode(policy.baseDelay), 2 ** retry)

/**
 * Resends a request answered 429 or 5xx, waiting what Retry-After asks (else exponential backoff), capped by `maxDelay`.
 * After the last retry the response goes through unchanged, so the caller sees the real status.
 * Waits use Effect.sleep, so tests drive them with TestClock.
 */
export const retryOnStatus =
  (policy: ModelRetryPolicy) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (execute) => {
      const attempt = (retry: number): Effect.Effect<HttpClientResponse.HttpClientResponse, Effect.Effect.Error<typeof execute>> =>
        Effect.flatMap(execute, (response) => {
          if (!isRetryable(response.status) || retry >= policy.maxRetries) return Effect.succeed(response)
          return Effect.gen(function* () {
            const now = yield* Clock.currentTimeMillis
            const asked = parseRetryAfter(response.headers["retry-after"], now)
            const wait = Duration.min(asked ?? backoff(policy, retry), Duration.decode(policy.maxDelay))
            // Drain the refused body so the connection can be reused.
            yield* Effect.ignore(response.text)
            yield* Effect.sleep(wait)
            return yield* attempt(retry + 1)
          })
        })
      return attempt(0)
    })

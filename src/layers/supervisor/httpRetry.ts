import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Clock, Data, type Duration, Effect, type Option } from "effect"
import { isRetryableStatus, type RetryPolicy, retryTransient } from "../http/retry.js"
import { retryAfter } from "../http/retryAfter.js"

/** How hard the supervisor retries OpenRouter on 429 and 5xx before giving up. */
export const defaultModelRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelay: "1 second",
  maxDelay: "60 seconds",
  maxElapsed: "5 minutes"
}

/** A 429 or 5xx answer, its body read (the connection is free again) and kept for the caller. */
class RefusedAnswer extends Data.TaggedError("RefusedAnswer")<{
  readonly response: HttpClientResponse.HttpClientResponse
  readonly retryAfter: Option.Option<Duration.Duration>
}> {}

const isRefusedAnswer = (error: unknown): error is RefusedAnswer => error instanceof RefusedAnswer

const refuseRetryable = (response: HttpClientResponse.HttpClientResponse) =>
  isRetryableStatus(response.status)
    ? Effect.gen(function* () {
      const body = yield* response.text
      const now = yield* Clock.currentTimeMillis
      const kept = HttpClientResponse.fromWeb(response.request, new Response(body, { status: response.status, headers: response.headers }))
      return yield* new RefusedAnswer({ response: kept, retryAfter: retryAfter(response.headers, now) })
    })
    : Effect.succeed(response)

/**
 * Resends a request answered 429 or 5xx on the shared retry schedule (Retry-After honoured, capped).
 * When the retries run out the last answer goes through, so the caller sees the real status and body.
 */
export const retryOnStatus =
  (policy: RetryPolicy) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (execute) =>
      Effect.flatMap(execute, refuseRetryable).pipe(
        retryTransient({ policy, isRetryable: isRefusedAnswer, exhausted: (refused) => Effect.succeed(refused.response) })
      )
    )

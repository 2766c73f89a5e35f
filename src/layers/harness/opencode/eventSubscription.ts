import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Duration, Effect, Either, Schema, Stream } from "effect"
import { cappedBackoffMs } from "../../../domain/backoff.js"

/**
 * One long-lived SSE subscription (`data: <json>` frames separated by blank lines). The server
 * sends a heartbeat about every 10 s, so silence longer than `heartbeatTimeout` means the
 * connection is dead even when TCP has not noticed. Drops reconnect with capped exponential
 * backoff; after `maxAttempts` consecutive connections that deliver nothing it gives up.
 */
export interface SubscriptionOptions {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly heartbeatTimeout: Duration.DurationInput
  readonly maxAttempts: number
  readonly baseDelay: Duration.DurationInput
  readonly maxDelay: Duration.DurationInput
  /** Each decoded `data:` payload, in order. */
  readonly onFrame: (json: unknown) => Effect.Effect<void>
  /** After every successful (re)connection: the place to reconcile anything missed meanwhile. */
  readonly onConnected: Effect.Effect<void>
  /** A frame that is not JSON: reported, never fatal. */
  readonly onGarbage: (text: string) => Effect.Effect<void>
}

interface ConnectionEnd {
  /** At least one frame arrived, so the server was reachable: the failure count starts over. */
  readonly delivered: boolean
  readonly reason: string
}

const parseJson = Schema.decodeUnknownEither(Schema.parseJson(Schema.Unknown))

/** Nothing from the server for too long: no response headers, or no frame on an open stream. */
class Silent {
  readonly _tag = "Silent"
  constructor(readonly reason: string) {}
}

const connectOnce = (options: SubscriptionOptions) =>
  Effect.gen(function* () {
    const http = yield* HttpClient.HttpClient
    let delivered = false
    let data: Array<string> = []
    const flush = Effect.suspend(() => {
      if (data.length === 0) return Effect.void
      const text = data.join("\n")
      data = []
      delivered = true
      return Either.match(parseJson(text), { onLeft: () => options.onGarbage(text), onRight: options.onFrame })
    })
    const request = HttpClientRequest.get(options.url).pipe(
      HttpClientRequest.setHeaders({ ...options.headers, accept: "text/event-stream" })
    )
    const silence = Duration.format(options.heartbeatTimeout)
    const outcome = yield* http.execute(request).pipe(
      // A server that accepts the connection but never answers would otherwise hold this forever.
      Effect.timeoutFail({ duration: options.heartbeatTimeout, onTimeout: () => new Silent(`no answer within ${silence}`) }),
      Effect.flatMap((response) => {
        if (response.status !== 200) return Effect.succeed(`HTTP ${response.status}`)
        return options.onConnected.pipe(
          Effect.zipRight(
            response.stream.pipe(
              Stream.decodeText(),
              Stream.splitLines,
              Stream.timeoutFail(() => new Silent(`no event or heartbeat for ${silence}`), options.heartbeatTimeout),
              Stream.runForEach((line) => {
                if (line === "") return flush
                if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5))
                return Effect.void
              }),
              Effect.zipRight(flush),
              Effect.as("the event stream ended")
            )
          )
        )
      }),
      Effect.scoped,
      Effect.catchAll((error) => Effect.succeed(error instanceof Silent ? error.reason : error.message))
    )
    const end: ConnectionEnd = { delivered, reason: outcome }
    return end
  })

const backoff = (options: SubscriptionOptions, failures: number): Duration.Duration =>
  Duration.millis(cappedBackoffMs(Duration.toMillis(options.baseDelay), failures, Duration.toMillis(options.maxDelay)))

/** Runs until it gives up; the result says why (the last connection's failure). */
export const runEventSubscription = (options: SubscriptionOptions): Effect.Effect<string, never, HttpClient.HttpClient> => {
  const loop = (failures: number): Effect.Effect<string, never, HttpClient.HttpClient> =>
    connectOnce(options).pipe(
      Effect.flatMap((end) => {
        // Only connections that delivered nothing count towards giving up.
        const next = end.delivered ? 0 : failures + 1
        if (next >= options.maxAttempts) return Effect.succeed(end.reason)
        return Effect.logDebug(`opencode event stream dropped (${end.reason}); reconnecting`).pipe(
          Effect.zipRight(Effect.sleep(backoff(options, next))),
          Effect.zipRight(loop(next))
        )
      })
    )
  return loop(0)
}

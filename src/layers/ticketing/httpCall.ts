import { type Headers, type HttpClient, type HttpClientRequest } from "@effect/platform"
import { Clock, Duration, Effect, Option } from "effect"
import { TicketingAuthError, TicketingDecodeError } from "../../domain/errors.js"
import { type RetryPolicy, TransientFault } from "./retryPolicy.js"

/** What every tracker call needs to report a failure in the person's terms. */
export interface CallSite {
  readonly provider: string
  readonly operation: string
  /** The variable to fix when the tracker refuses the credentials. */
  readonly envVar: string
}

export interface HttpAnswer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string
  /** The parsed JSON body; `null` for an empty body. */
  readonly json: unknown
}

const RECEIVED_LIMIT = 400

/** Quotes what the server sent, short enough for one error line. */
export const quote = (text: string): string =>
  text.length > RECEIVED_LIMIT ? `${text.slice(0, RECEIVED_LIMIT)}… (${text.length} characters)` : text

/** Seconds or an HTTP date in `retry-after`; Linear also sends a reset time in epoch milliseconds. */
export const retryAfter = (headers: { readonly [name: string]: string | undefined }, now: number): Option.Option<Duration.Duration> => {
  const header = headers["retry-after"]
  if (header !== undefined) {
    const trimmed = header.trim()
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Option.some(Duration.seconds(Number(trimmed)))
    const at = Date.parse(trimmed)
    if (!Number.isNaN(at)) return Option.some(Duration.millis(Math.max(0, at - now)))
  }
  const reset = headers["x-ratelimit-requests-reset"]
  if (reset !== undefined && /^\d+$/.test(reset.trim())) {
    const at = Number(reset.trim())
    if (at > now) return Option.some(Duration.millis(at - now))
  }
  return Option.none()
}

const parseJson = (site: CallSite, text: string) =>
  text.trim() === ""
    ? Effect.succeed<unknown>(null)
    : Effect.try({
        try: (): unknown => JSON.parse(text),
        catch: () =>
          new TicketingDecodeError({ provider: site.provider, operation: site.operation, received: quote(text), detail: "not JSON" })
      })

/**
 * Sends one request and sorts the outcome: transport faults, timeouts, 429 and 5xx are transient;
 * 401/403 name the variable to fix. Anything else comes back for the provider to read.
 */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  site: CallSite,
  policy: RetryPolicy
): Effect.Effect<HttpAnswer, TransientFault | TicketingAuthError | TicketingDecodeError> =>
  Effect.gen(function* () {
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text }
  }).pipe(
    Effect.catchTags({
      RequestError: (error) =>
        Effect.fail(new TransientFault({ reason: `cannot reach the server (${error.reason})`, retryAfter: Option.none() })),
      ResponseError: (error) =>
        Effect.fail(new TransientFault({ reason: `the answer broke off (${error.reason})`, retryAfter: Option.none() }))
    }),
    Effect.timeoutFail({
      duration: policy.requestTimeout,
      onTimeout: () =>
        new TransientFault({ reason: `no answer within ${Duration.format(policy.requestTimeout)}`, retryAfter: Option.none() })
    }),
    Effect.flatMap(({ headers, status, text }) =>
      Effect.gen(function* () {
        if (status === 401 || status === 403) {
          return yield* new TicketingAuthError({ provider: site.provider, envVar: site.envVar, status })
        }
        if (status === 429) {
          const now = yield* Clock.currentTimeMillis
          return yield* new TransientFault({ reason: "rate limited (HTTP 429)", retryAfter: retryAfter(headers, now) })
        }
        if (status >= 500) {
          return yield* new TransientFault({ reason: `server error (HTTP ${status})`, retryAfter: Option.none() })
        }
        const json = yield* parseJson(site, text)
        return { status, headers, text, json } satisfies HttpAnswer
      })
    )
  )

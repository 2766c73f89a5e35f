import { type Headers, type HttpClient, type HttpClientRequest } from "@effect/platform"
import { Clock, Duration, Effect, Option, type Schema } from "effect"
import { TicketingAuthError, TicketingDecodeError, TicketingError } from "../../domain/errors.js"
import { isRetryableStatus, isTransientFault, type RetryPolicy, retryTransient, TransientFault } from "../http/retry.js"
import { retryAfter } from "../http/retryAfter.js"
import { decodeAnswer } from "./decodeAnswer.js"

/** The shared retry policy, plus how long one request may take before it counts as a transient fault. */
export interface TrackerRetryPolicy extends RetryPolicy {
  readonly requestTimeout: Duration.DurationInput
}

export const defaultTrackerRetryPolicy: TrackerRetryPolicy = {
  maxAttempts: 6,
  baseDelay: "500 millis",
  maxDelay: "60 seconds",
  maxElapsed: "3 minutes",
  requestTimeout: "30 seconds"
}

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

/** The body as JSON; `null` when empty; a decode error quoting it otherwise. */
export const parseJson = (site: CallSite, text: string) =>
  text.trim() === ""
    ? Effect.succeed<unknown>(null)
    : Effect.try({
        try: (): unknown => JSON.parse(text),
        catch: () =>
          new TicketingDecodeError({ provider: site.provider, operation: site.operation, received: quote(text), detail: "not JSON" })
      })

const MAX_CAUSE_DEPTH = 4

/** The messages down a cause chain ("fetch failed: connect ECONNREFUSED 127.0.0.1:9"), else the fallback. */
const causeText = (cause: unknown, fallback: string): string => {
  const messages: Array<string> = []
  let current = cause
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    if (current.message !== "" && !messages.includes(current.message)) messages.push(current.message)
    current = current.cause
  }
  return messages.length === 0 ? fallback : messages.join(": ")
}

/**
 * Sends one request and sorts the outcome: transport faults, timeouts, 429 and 5xx are transient;
 * 401/403 name the variable to fix. Anything else comes back for the provider to read. A transport
 * fault names the URL and its cause (the people reading it cannot see the request).
 */
export const send = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  site: CallSite,
  policy: TrackerRetryPolicy
): Effect.Effect<HttpAnswer, TransientFault | TicketingAuthError | TicketingDecodeError> =>
  Effect.gen(function* () {
    const response = yield* client.execute(request)
    const text = yield* response.text
    return { status: response.status, headers: response.headers, text }
  }).pipe(
    Effect.catchTags({
      RequestError: (error) =>
        Effect.fail(new TransientFault({ reason: `cannot reach ${request.url} (${causeText(error.cause, error.reason)})`, retryAfter: Option.none() })),
      ResponseError: (error) =>
        Effect.fail(new TransientFault({ reason: `the answer from ${request.url} broke off (${causeText(error.cause, error.reason)})`, retryAfter: Option.none() }))
    }),
    Effect.timeoutFail({
      duration: policy.requestTimeout,
      onTimeout: () =>
        new TransientFault({ reason: `no answer from ${request.url} within ${Duration.format(policy.requestTimeout)}`, retryAfter: Option.none() })
    }),
    Effect.flatMap(({ headers, status, text }) =>
      Effect.gen(function* () {
        if (status === 401 || status === 403) {
          return yield* new TicketingAuthError({ provider: site.provider, envVar: site.envVar, status })
        }
        if (isRetryableStatus(status)) {
          const now = yield* Clock.currentTimeMillis
          return yield* new TransientFault({
            reason: status === 429 ? "rate limited (HTTP 429)" : `server error (HTTP ${status})`,
            retryAfter: retryAfter(headers, now)
          })
        }
        const json = yield* parseJson(site, text)
        return { status, headers, text, json } satisfies HttpAnswer
      })
    )
  )

/** Retries transient faults within the policy; when they persist, one TicketingError says so. */
export const withRetry = <A, E>(
  policy: RetryPolicy,
  provider: string,
  operation: string,
  effect: Effect.Effect<A, E | TransientFault>
): Effect.Effect<A, Exclude<E, TransientFault> | TicketingError> =>
  retryTransient({
    policy,
    isRetryable: isTransientFault,
    exhausted: (fault, attempts) =>
      Effect.fail(
        new TicketingError({ provider, operation, detail: `${fault.reason} (gave up after ${attempts} attempt${attempts === 1 ? "" : "s"})` })
      )
  })(effect)

/**
 * One JSON call of a REST tracker: sent (transient faults retried under `policy`), any other error
 * status a TicketingError quoting the body, the answer decoded with `answer`.
 */
export const callJson = <A, I>(
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  site: CallSite,
  policy: TrackerRetryPolicy,
  answer: Schema.Schema<A, I, never>
): Effect.Effect<A, TicketingError | TicketingAuthError | TicketingDecodeError> =>
  withRetry(
    policy,
    site.provider,
    site.operation,
    Effect.gen(function* () {
      const reply = yield* send(client, request, site, policy)
      if (reply.status >= 400) {
        return yield* new TicketingError({ provider: site.provider, operation: site.operation, detail: `HTTP ${reply.status}: ${quote(reply.text)}` })
      }
      return yield* decodeAnswer(answer, site)(reply.json)
    })
  )

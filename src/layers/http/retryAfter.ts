import { Duration, Option } from "effect"

type HeaderRecord = { readonly [name: string]: string | undefined }

/**
 * How long the server asked us to wait, relative to `now` (epoch millis): `retry-after` as
 * delta seconds or an HTTP date, else Linear's `x-ratelimit-requests-reset` (epoch millis).
 * Unreadable or absent: none, and the backoff decides.
 */
export const retryAfter = (headers: HeaderRecord, now: number): Option.Option<Duration.Duration> => {
  const header = headers["retry-after"]?.trim()
  if (header !== undefined && header !== "") {
    if (/^\d+(\.\d+)?$/.test(header)) return Option.some(Duration.millis(Math.round(Number(header) * 1000)))
    const at = Date.parse(header)
    if (!Number.isNaN(at)) return Option.some(Duration.millis(Math.max(0, at - now)))
  }
  const reset = headers["x-ratelimit-requests-reset"]?.trim()
  if (reset !== undefined && /^\d+$/.test(reset)) {
    const at = Number(reset)
    if (at > now) return Option.some(Duration.millis(at - now))
  }
  return Option.none()
}

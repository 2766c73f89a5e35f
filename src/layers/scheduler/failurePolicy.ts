import { Duration } from "effect"
import type { FailurePolicy } from "../../services/Scheduler.js"
import { cappedBackoffMs } from "../../domain/backoff.js"

export type AfterFailure =
  | { readonly _tag: "RunAfter"; readonly delay: Duration.Duration; readonly retriesUsed: number }
  | { readonly _tag: "Disable" }

/**
 * When a task runs next after its `consecutive`-th failure in a row (1-based).
 * `retriesUsed` counts Retry-policy retries since the last run at the normal interval.
 */
export const afterFailure = (
  policy: FailurePolicy,
  every: Duration.Duration,
  consecutive: number,
  retriesUsed: number
): AfterFailure => {
  switch (policy._tag) {
    case "Retry":
      return retriesUsed < policy.times
        ? { _tag: "RunAfter", delay: Duration.decode(policy.delay), retriesUsed: retriesUsed + 1 }
        : { _tag: "RunAfter", delay: every, retriesUsed: 0 }
    case "Backoff": {
      const millis = cappedBackoffMs(Duration.toMillis(policy.initial), consecutive, Duration.toMillis(policy.cap))
      return { _tag: "RunAfter", delay: Duration.millis(millis), retriesUsed: 0 }
    }
    case "DisableAfter":
      return consecutive >= policy.failures ? { _tag: "Disable" } : { _tag: "RunAfter", delay: every, retriesUsed: 0 }
  }
}

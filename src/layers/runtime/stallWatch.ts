import { cappedBackoffMs } from "../../domain/backoff.js"

/**
 * Stall detection as a pure step, so the schedule is exact and testable: a Running session without
 * a harness event for `timeoutMs` is stalled at lastEvent + timeout; retry k comes
 * min(baseMs · 2^(k-1), capMs) after the previous step; after `maxRetries` retries and one more
 * wait it is escalated (an inbox item), once. Any harness event resets it.
 */

export interface StallPolicy {
  readonly timeoutMs: number
  readonly baseMs: number
  readonly capMs: number
  readonly maxRetries: number
}

export interface StallState {
  readonly stalledAt: number | null
  readonly retries: number
  readonly nextAt: number | null
  readonly escalated: boolean
}

export type StallAction =
  | { readonly _tag: "None" }
  | { readonly _tag: "Stalled"; readonly silentMs: number }
  | { readonly _tag: "Retry"; readonly attempt: number; readonly silentMs: number }
  | { readonly _tag: "Escalate"; readonly retries: number; readonly silentMs: number }

export const notStalled: StallState = { stalledAt: null, retries: 0, nextAt: null, escalated: false }

export const retryDelay = (policy: StallPolicy, attempt: number): number =>
  cappedBackoffMs(policy.baseMs, attempt, policy.capMs)

export const checkStall = (
  policy: StallPolicy,
  state: StallState,
  lastEventAt: number,
  now: number
): { readonly state: StallState; readonly action: StallAction } => {
  const silentMs = now - lastEventAt
  if (state.stalledAt === null || state.nextAt === null) {
    if (silentMs < policy.timeoutMs) return { state, action: { _tag: "None" } }
    const stalledAt = lastEventAt + policy.timeoutMs
    return {
      state: { stalledAt, retries: 0, nextAt: stalledAt + retryDelay(policy, 1), escalated: false },
      action: { _tag: "Stalled", silentMs }
    }
  }
  if (state.escalated || now < state.nextAt) return { state, action: { _tag: "None" } }
  if (state.retries < policy.maxRetries) {
    const attempt = state.retries + 1
    return {
      state: { ...state, retries: attempt, nextAt: state.nextAt + retryDelay(policy, attempt + 1) },
      action: { _tag: "Retry", attempt, silentMs }
    }
  }
  return { state: { ...state, escalated: true }, action: { _tag: "Escalate", retries: state.retries, silentMs } }
}

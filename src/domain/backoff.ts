/**
 * The one capped exponential backoff: `baseMs` before the first retry, doubling with each further
 * one, never more than `capMs`. `attempt` counts from 1; the exponent is bounded so the product stays
 * finite before the cap applies. Plain TS: the scheduler, the stall watch, dispatch and the PR
 * pipeline all wait by it.
 */
export const cappedBackoffMs = (baseMs: number, attempt: number, capMs: number): number =>
  Math.min(baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 40), capMs)

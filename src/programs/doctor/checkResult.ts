import { Effect } from "effect"

export type CheckStatus = "ok" | "warn" | "fail"

export interface CheckResult {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
  /** A failed required check makes `doctor` exit 1; an optional one only warns. */
  readonly required: boolean
}

/** An effect answering a detail line becomes a check: ok with the line, else fail (required) or warn. */
export const checked =
  (name: string, required: boolean, onFailure: (error: { readonly message: string }) => string = (error) => error.message) =>
  <R>(effect: Effect.Effect<string, { readonly message: string }, R>): Effect.Effect<CheckResult, never, R> =>
    Effect.match(effect, {
      onFailure: (error) => ({ name, status: required ? "fail" : "warn", detail: onFailure(error), required }),
      onSuccess: (detail) => ({ name, status: "ok", detail, required })
    })

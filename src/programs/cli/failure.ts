import { ValidationError } from "@effect/cli"
import { Cause, Console, Effect } from "effect"

/** Exit codes: 0 ok, 1 failure, 2 usage error. */
export type ExitCode = 0 | 1 | 2

const messageOf = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" && error.message !== "") {
    return error.message
  }
  return String(error)
}

/**
 * One clear line on stderr for an expected failure; usage errors were already explained by the
 * CLI parser. Defects print their cause only with --verbose.
 */
export const reportFailure = (cause: Cause.Cause<unknown>, verbose: boolean): Effect.Effect<ExitCode> =>
  Effect.gen(function* () {
    if (Cause.isInterruptedOnly(cause)) return 1
    const failure = Cause.failureOption(cause)
    if (failure._tag === "Some") {
      if (ValidationError.isValidationError(failure.value)) return 2
      yield* Console.error(`orchestrator: ${messageOf(failure.value)}`)
      if (verbose) yield* Console.error(Cause.pretty(cause))
      return 1
    }
    const defect = Cause.squash(cause)
    yield* Console.error(`orchestrator: unexpected error: ${messageOf(defect)}${verbose ? "" : " (run with --verbose for details)"}`)
    if (verbose) yield* Console.error(Cause.pretty(cause))
    return 1
  })

import { HelpDoc, ValidationError } from "@effect/cli"
import { Cause, Console, Effect } from "effect"
import { terminalLine, terminalText } from "../../domain/terminalText.js"
import { type UsageFlag, usageMessage } from "./usageError.js"

/** Exit codes: 0 ok, 1 failure, 2 usage error. */
export type ExitCode = 0 | 1 | 2

/** What a usage error is explained from: the command line and the flags the help names. */
export interface UsageContext {
  readonly argv: ReadonlyArray<string>
  readonly flags: () => ReadonlyArray<UsageFlag>
}

// Error messages may quote a tracker's or a model's reply: one safe line.
const messageOf = (error: unknown): string => {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" && error.message !== "") {
    return terminalLine(error.message)
  }
  return terminalLine(String(error))
}

/**
 * One clear line on stderr: a usage error prefixed and naming the flag, an expected failure's
 * message; defects print their cause only with --verbose.
 */
export const reportFailure = (cause: Cause.Cause<unknown>, verbose: boolean, usage: UsageContext): Effect.Effect<ExitCode> =>
  Effect.gen(function* () {
    if (Cause.isInterruptedOnly(cause)) return 1
    const failure = Cause.failureOption(cause)
    if (failure._tag === "Some") {
      if (ValidationError.isValidationError(failure.value)) {
        yield* Console.error(`orchestrator: ${usageMessage(HelpDoc.toAnsiText(failure.value.error), usage.argv, usage.flags())}`)
        return 2
      }
      yield* Console.error(`orchestrator: ${messageOf(failure.value)}`)
      if (verbose) yield* Console.error(terminalText(Cause.pretty(cause)))
      return 1
    }
    const defect = Cause.squash(cause)
    yield* Console.error(`orchestrator: unexpected error: ${messageOf(defect)}${verbose ? "" : " (run with --verbose for details)"}`)
    if (verbose) yield* Console.error(terminalText(Cause.pretty(cause)))
    return 1
  })

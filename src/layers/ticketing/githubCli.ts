import { CommandExecutor } from "@effect/platform"
import { type Duration, Effect, Option, type Schema } from "effect"
import { TicketingAuthError, TicketingError } from "../../domain/errors.js"
import type { ProcessOutput } from "../../services/ProcessRunner.js"
import type { TicketingFailure } from "../../services/Ticketing.js"
import { TransientFault } from "../http/retry.js"
import { detailOf, runProcess } from "../process/runProcess.js"
import { GH_ENV } from "../repoHost/GhCli.js"
import { decodeAnswer } from "./decodeAnswer.js"
import { type CallSite, parseJson, quote, type TrackerRetryPolicy, withRetry } from "./httpCall.js"

const PROVIDER = "github"
/** gh's own login is the credential; GH_TOKEN is the variable that overrides it. */
const ENV_VAR = "GH_TOKEN (or run gh auth login)"
/** gh exits 4 when it has no credentials at all. */
const EXIT_AUTH = 4

export interface GhCall {
  readonly args: ReadonlyArray<string>
  readonly cwd?: string | undefined
  /** Fed to `--body-file -`: text of any size never goes through the argument list. */
  readonly stdin?: string
}

/**
 * Sorts a finished gh call: `gh api` prints `gh: <message> (HTTP <status>)` on stderr and exits 1.
 * Rate limits (429, or 403 "rate limit exceeded", GitHub's primary limit) and 5xx are transient;
 * 401 and a missing login name the variable to fix.
 */
const classify = (operation: string, output: ProcessOutput): Effect.Effect<string, TransientFault | TicketingFailure> => {
  if (output.exitCode === 0) return Effect.succeed(output.stdout)
  const said = detailOf(output)
  const status = Number(/\(HTTP (\d{3})\)/.exec(said)?.[1] ?? "0")
  if (output.exitCode === EXIT_AUTH || status === 401 || /gh auth login|Bad credentials/i.test(said)) {
    return Effect.fail(new TicketingAuthError({ provider: PROVIDER, envVar: ENV_VAR, status: status === 0 ? 401 : status }))
  }
  if (status === 429 || /rate limit/i.test(said) || status >= 500) {
    return Effect.fail(new TransientFault({ reason: quote(said), retryAfter: Option.none() }))
  }
  return Effect.fail(new TicketingError({ provider: PROVIDER, operation, detail: quote(said) }))
}

/** Runs gh with the process runner, retrying transient faults under `retry`. */
export const makeGhRunner = (binary: string, retry: TrackerRetryPolicy, timeout: Duration.DurationInput, executor: CommandExecutor.CommandExecutor) => {
  const gh = (operation: string, call: GhCall): Effect.Effect<string, TicketingFailure> => {
    const attempt = runProcess({
      binary,
      args: call.args,
      env: GH_ENV,
      timeout,
      ...(call.cwd === undefined ? {} : { cwd: call.cwd }),
      ...(call.stdin === undefined ? {} : { stdin: call.stdin })
    }).pipe(
      Effect.provideService(CommandExecutor.CommandExecutor, executor),
      Effect.mapError((failure) =>
        failure.reason === "spawn"
          ? new TicketingError({ provider: PROVIDER, operation, detail: `cannot run ${binary} (github.binary): ${failure.detail}` })
          : new TransientFault({ reason: failure.message, retryAfter: Option.none() })
      ),
      Effect.flatMap((output) => classify(operation, output))
    )
    return withRetry(retry, PROVIDER, operation, attempt)
  }

  /** A gh call whose stdout is JSON of `schema`. */
  const ghJson = <A, I>(operation: string, call: GhCall, schema: Schema.Schema<A, I, never>) => {
    const site: CallSite = { provider: PROVIDER, operation, envVar: ENV_VAR }
    return gh(operation, call).pipe(
      Effect.flatMap((text) => parseJson(site, text)),
      Effect.flatMap(decodeAnswer(schema, site))
    )
  }
  return { gh, ghJson }
}

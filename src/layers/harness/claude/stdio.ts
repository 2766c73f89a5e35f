import type { CommandExecutor } from "@effect/platform"
import { Deferred, Duration, Effect, Either, Option, Queue, type Scope, Schema } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import { terminalLine } from "../../../domain/terminalText.js"
import type { HarnessLog } from "../jsonlLog.js"
import { startProcessLines } from "../processLines.js"
import { OutputLine, tagLine } from "./protocol.js"

const harness = "harness.claude"

/** Claude Code's stdio: one JSON object a line each way. */
export interface ClaudeStdio {
  /** Queues one line for stdin; fails once the process is gone or has stopped reading. */
  readonly write: (message: Record<string, unknown>) => Effect.Effect<void, HarnessError>
  /** Completes with the reason once stdout has ended (the process exited). */
  readonly closed: Effect.Effect<string>
}

const parseJson = Schema.decodeUnknownEither(Schema.parseJson())
const decodeLine = Schema.decodeUnknownEither(OutputLine)

/** Starts the stdin writer and the stdout/stderr readers in the current scope. */
export const makeClaudeStdio = (options: {
  readonly process: CommandExecutor.Process
  readonly log: HarnessLog
  readonly writeTimeout: Duration.DurationInput
  readonly onLine: (line: OutputLine) => Effect.Effect<void>
}): Effect.Effect<ClaudeStdio, never, Scope.Scope> =>
  Effect.gen(function* () {
    const read = (text: string): Effect.Effect<void> => {
      if (text.trim() === "") return Effect.void
      const json = parseJson(text)
      if (Either.isLeft(json)) return Effect.logWarning(`${harness}: ignoring a line that is not JSON: ${terminalLine(text.slice(0, 200))}`)
      const line = decodeLine(tagLine(json.right))
      return Effect.zipRight(
        options.log.raw("in", json.right),
        Either.isLeft(line)
          ? Effect.logWarning(`${harness}: ignoring a line it cannot read: ${terminalLine(text.slice(0, 200))}`)
          : options.onLine(line.right)
      )
    }
    const { closed, stdin } = yield* startProcessLines({ process: options.process, name: "claude", onLine: read })

    const write = (message: Record<string, unknown>) =>
      Effect.gen(function* () {
        const gone = yield* Deferred.poll(closed)
        if (Option.isSome(gone)) return yield* new HarnessError({ harness, operation: "write to claude", detail: yield* gone.value })
        yield* options.log.raw("out", message)
        yield* Queue.offer(stdin, JSON.stringify(message)).pipe(
          Effect.timeoutFail({
            duration: options.writeTimeout,
            onTimeout: () => new HarnessError({ harness, operation: "write to claude", detail: `claude took no input for ${Duration.format(options.writeTimeout)}` })
          })
        )
      })

    return { write, closed: Deferred.await(closed) }
  })

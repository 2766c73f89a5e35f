import { Command, CommandExecutor } from "@effect/platform"
import { Data, type Duration, Effect, Stream } from "effect"

/** Output is bounded: a runaway process cannot fill memory. */
export const MAX_OUTPUT_CHARS = 16 * 1024 * 1024

export interface ProcessOutput {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Internal to the Layers that spawn processes; each maps it to its port's own error. */
export class ProcessFailed extends Data.TaggedError("ProcessFailed")<{
  readonly reason: "spawn" | "timeout"
  readonly detail: string
}> {}

export interface ProcessOptions {
  readonly cwd: string
  readonly env?: Readonly<Record<string, string>>
  readonly stdin?: string
  readonly timeout: Duration.DurationInput
}

const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  stream.pipe(
    Stream.decodeText(),
    Stream.runFold("", (acc, chunk) => (acc.length >= MAX_OUTPUT_CHARS ? acc : acc + chunk.slice(0, MAX_OUTPUT_CHARS - acc.length))),
    Effect.orElseSucceed(() => "")
  )

/**
 * Runs `binary args...` (an argument array: no shell ever sees it) and returns its exit code and
 * output. The process is killed when the timeout fires.
 */
export const runProcess = (
  executor: CommandExecutor.CommandExecutor,
  binary: string,
  args: ReadonlyArray<string>,
  options: ProcessOptions
): Effect.Effect<ProcessOutput, ProcessFailed> => {
  // stdin is always fed (empty by default) and closed, so nothing can sit waiting for a prompt.
  const command = Command.make(binary, ...args).pipe(
    Command.workingDirectory(options.cwd),
    Command.env({ ...options.env }),
    Command.feed(options.stdin ?? "")
  )
  return Effect.scoped(
    Effect.gen(function* () {
      const process = yield* Command.start(command)
      const [stdout, stderr, exitCode] = yield* Effect.all([collect(process.stdout), collect(process.stderr), process.exitCode], {
        concurrency: 3
      })
      return { exitCode, stdout, stderr } satisfies ProcessOutput
    })
  ).pipe(
    Effect.mapError((error) => new ProcessFailed({ reason: "spawn", detail: error.message })),
    Effect.timeoutFail({
      duration: options.timeout,
      onTimeout: () => new ProcessFailed({ reason: "timeout", detail: `${binary} did not finish in time` })
    }),
    Effect.provideService(CommandExecutor.CommandExecutor, executor)
  )
}

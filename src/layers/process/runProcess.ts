import { Command, CommandExecutor } from "@effect/platform"
import { Duration, Effect, Stream } from "effect"
import { ProcessFailed } from "../../domain/processErrors.js"
import type { ProcessOutput, ProcessSpec } from "../../services/ProcessRunner.js"

/** Each stream is cut here: a runaway process cannot fill memory. */
export const MAX_OUTPUT_CHARS = 16 * 1024 * 1024

/** A process's own message in an error stays one readable line. */
const MAX_DETAIL_CHARS = 1000

export const DEFAULT_TIMEOUT = Duration.seconds(60)

/** How long a killed process gets to be reaped before the runner stops waiting for it. */
const KILL_WAIT = Duration.seconds(5)

/** What the process said about itself: stderr, else stdout, trimmed and bounded. */
export const detailOf = (output: Pick<ProcessOutput, "stdout" | "stderr">): string =>
  (output.stderr.trim() || output.stdout.trim()).slice(0, MAX_DETAIL_CHARS)

/** Keeps reading past the bound, so the process is never stuck on a full pipe. */
const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  stream.pipe(
    Stream.decodeText(),
    Stream.runFold("", (acc, chunk) => (acc.length >= MAX_OUTPUT_CHARS ? acc : acc + chunk.slice(0, MAX_OUTPUT_CHARS - acc.length))),
    Effect.orElseSucceed(() => "")
  )

const commandOf = (spec: ProcessSpec) => {
  // stdin is always fed (empty by default) and closed, so nothing can sit waiting for a prompt.
  const command = Command.make(spec.binary, ...spec.args).pipe(Command.env({ ...spec.env }), Command.feed(spec.stdin ?? ""))
  return spec.cwd === undefined ? command : Command.workingDirectory(command, spec.cwd)
}

/**
 * The platform's own finalizer sends SIGTERM and waits without bound; a short-lived process that
 * outlived its timeout gets SIGKILL (its whole group), and the wait is bounded.
 */
const killIfRunning = (process: CommandExecutor.Process) =>
  Effect.flatMap(process.isRunning, (running) =>
    running ? process.kill("SIGKILL").pipe(Effect.interruptible, Effect.timeout(KILL_WAIT)) : Effect.void
  ).pipe(Effect.ignore)

/**
 * Runs `spec` once and returns its exit code and output, whatever the exit code. Fails when the
 * process cannot start, outlives its timeout (it is killed), or dies on a signal.
 */
export const runProcess = (spec: ProcessSpec): Effect.Effect<ProcessOutput, ProcessFailed, CommandExecutor.CommandExecutor> => {
  const failed = (reason: ProcessFailed["reason"], detail: string) =>
    new ProcessFailed({ binary: spec.binary, reason, exitCode: null, detail })
  return Effect.scoped(
    Effect.gen(function* () {
      const process = yield* Command.start(commandOf(spec)).pipe(Effect.mapError((error) => failed("spawn", error.message)))
      yield* Effect.addFinalizer(() => killIfRunning(process))
      const [stdout, stderr, exit] = yield* Effect.all([collect(process.stdout), collect(process.stderr), Effect.either(process.exitCode)], {
        concurrency: 3
      })
      if (exit._tag === "Left") return yield* failed("exit", detailOf({ stdout, stderr }) || exit.left.message)
      return { exitCode: exit.right, stdout, stderr } satisfies ProcessOutput
    })
  ).pipe(
    Effect.timeoutFail({
      duration: spec.timeout ?? DEFAULT_TIMEOUT,
      onTimeout: () => failed("timeout", `no exit within ${Duration.format(Duration.decode(spec.timeout ?? DEFAULT_TIMEOUT))}`)
    })
  )
}

/** `run`'s rule: a non-zero exit is a failure carrying the process's own message. */
export const requireSuccess = (spec: ProcessSpec, output: ProcessOutput): Effect.Effect<ProcessOutput, ProcessFailed> =>
  output.exitCode === 0
    ? Effect.succeed(output)
    : Effect.fail(new ProcessFailed({ binary: spec.binary, reason: "exit", exitCode: output.exitCode, detail: detailOf(output) }))

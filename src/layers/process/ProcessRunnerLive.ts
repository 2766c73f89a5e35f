import { Command, CommandExecutor } from "@effect/platform"
import { Duration, Effect, Layer, Stream } from "effect"
import { ProcessFailed } from "../../domain/processErrors.js"
import { ProcessRunner, type ProcessSpec } from "../../services/ProcessRunner.js"

// Temporary minimal runner (helper-b) until the owner's version is merged; same name and signature.

const defaultTimeout = Duration.seconds(30)
/** Each stream keeps at most this many characters; a chatty process cannot fill memory. */
const outputLimit = 64 * 1024

const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Stream.decodeText(stream).pipe(
    Stream.runFold("", (kept, text) => (kept.length >= outputLimit ? kept : (kept + text).slice(0, outputLimit))),
    Effect.orElseSucceed(() => "")
  )

const commandOf = (spec: ProcessSpec) => {
  const base = Command.make(spec.binary, ...spec.args).pipe(Command.feed(spec.stdin ?? ""))
  const withCwd = spec.cwd === undefined ? base : Command.workingDirectory(base, spec.cwd)
  return spec.env === undefined ? withCwd : Command.env(withCwd, spec.env, { extendEnv: false })
}

export const ProcessRunnerLive: Layer.Layer<ProcessRunner, never, CommandExecutor.CommandExecutor> = Layer.effect(
  ProcessRunner,
  Effect.gen(function* () {
    const executor = yield* CommandExecutor.CommandExecutor
    const capture = (spec: ProcessSpec) =>
      Effect.scoped(
        Effect.gen(function* () {
          const process = yield* executor.start(commandOf(spec))
          const [stdout, stderr, exitCode] = yield* Effect.all([collect(process.stdout), collect(process.stderr), process.exitCode], {
            concurrency: "unbounded"
          })
          return { exitCode, stdout, stderr }
        })
      ).pipe(
        Effect.mapError(
          (error) =>
            new ProcessFailed({
              binary: spec.binary,
              reason: "spawn",
              exitCode: null,
              detail: error._tag === "SystemError" && error.reason === "NotFound" ? "not found on PATH" : error.message
            })
        ),
        Effect.timeoutFail({
          duration: spec.timeout ?? defaultTimeout,
          onTimeout: () => new ProcessFailed({ binary: spec.binary, reason: "timeout", exitCode: null, detail: "" })
        })
      )
    const run = (spec: ProcessSpec) =>
      Effect.flatMap(capture(spec), (output) =>
        output.exitCode === 0
          ? Effect.succeed(output)
          : Effect.fail(
              new ProcessFailed({
                binary: spec.binary,
                reason: "exit",
                exitCode: output.exitCode,
                detail: output.stderr.trim().slice(0, 500)
              })
            )
      )
    return ProcessRunner.of({ run, capture })
  })
)

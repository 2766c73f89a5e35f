import { Command, CommandExecutor } from "@effect/platform"
import { Chunk, Effect, Stream } from "effect"

export interface Captured {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

const collect = (stream: Stream.Stream<Uint8Array, unknown>) =>
  Stream.runCollect(Stream.decodeText(stream)).pipe(Effect.map((chunks) => Chunk.join(chunks, "")))

/**
 * Runs `binary` with an argument array (never a shell string) and returns its exit code and output.
 * The caller decides what a non-zero exit means; a binary that cannot start fails with the
 * platform's error.
 */
export const runCapture = (binary: string, args: ReadonlyArray<string>, options?: { readonly cwd?: string; readonly env?: Record<string, string> }) =>
  Effect.scoped(
    Effect.gen(function* () {
      let command = Command.make(binary, ...args)
      if (options?.cwd !== undefined) command = Command.workingDirectory(command, options.cwd)
      if (options?.env !== undefined) command = Command.env(command, options.env)
      const executor = yield* CommandExecutor.CommandExecutor
      const process = yield* executor.start(Command.stdin(command, "pipe"))
      const [stdout, stderr, exitCode] = yield* Effect.all([collect(process.stdout), collect(process.stderr), process.exitCode], {
        concurrency: "unbounded"
      })
      return { exitCode, stdout, stderr } satisfies Captured
    })
  )

import type { CommandExecutor } from "@effect/platform"
import { Deferred, Effect, Queue, Ref, type Scope, Stream } from "effect"
import { terminalLine } from "../../domain/terminalText.js"

/** A harness process spoken to in lines: what is queued for its stdin, and how its output ended. */
export interface ProcessLines {
  /** Lines for stdin, newline added; bounded, so a process that stops reading makes offers wait. */
  readonly stdin: Queue.Queue<string>
  /** Completes once stdout has ended: "<name> exited with code N: <last stderr lines>". */
  readonly closed: Deferred.Deferred<string>
}

const stderrTailLines = 20
const stdinCapacity = 256

/**
 * Starts the stdin writer, the stderr tail and the stdout line reader of `process` in the current
 * scope; `onLine` sees each stdout line in order.
 */
export const startProcessLines = (options: {
  readonly process: CommandExecutor.Process
  /** How the process is named in the closing reason, e.g. `codex app-server`. */
  readonly name: string
  readonly onLine: (line: string) => Effect.Effect<void>
}): Effect.Effect<ProcessLines, never, Scope.Scope> =>
  Effect.gen(function* () {
    const closed = yield* Deferred.make<string>()
    const stdin = yield* Queue.bounded<string>(stdinCapacity)
    const stderrTail = yield* Ref.make<ReadonlyArray<string>>([])
    const encoder = new TextEncoder()

    yield* Stream.fromQueue(stdin).pipe(
      Stream.map((line) => encoder.encode(line + "\n")),
      Stream.run(options.process.stdin),
      Effect.ignore,
      Effect.forkScoped
    )
    const stderrReader = yield* options.process.stderr.pipe(
      Stream.decodeText(),
      Stream.splitLines,
      Stream.runForEach((line) => Ref.update(stderrTail, (tail) => [...tail, terminalLine(line)].slice(-stderrTailLines))),
      Effect.ignore,
      Effect.forkScoped
    )
    const exit = options.process.exitCode.pipe(
      Effect.timeout("5 seconds"),
      Effect.map((code) => `exited with code ${code}`),
      Effect.orElseSucceed(() => "closed its output")
    )
    yield* options.process.stdout.pipe(
      Stream.decodeText(),
      Stream.splitLines,
      Stream.runForEach(options.onLine),
      Effect.ignore,
      Effect.zipRight(Effect.gen(function* () {
        // The last words are on stderr, which may still be draining.
        yield* stderrReader.await.pipe(Effect.timeout("2 seconds"), Effect.ignore)
        const tail = (yield* Ref.get(stderrTail)).filter((line) => line.trim() !== "")
        yield* Deferred.succeed(closed, `${options.name} ${yield* exit}${tail.length > 0 ? `: ${tail.slice(-5).join(" | ")}` : ""}`)
      })),
      Effect.forkScoped
    )
    return { stdin, closed }
  })

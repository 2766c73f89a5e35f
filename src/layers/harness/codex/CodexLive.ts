import { Command, CommandExecutor, FileSystem } from "@effect/platform"
import { Chunk, Duration, Effect, ExecutionStrategy, Exit, Layer, Scope, Stream } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import { AppConfig } from "../../../services/AppConfig.js"
import { Harness, type SessionSpec } from "../../../services/Harness.js"
import { packageBinDirs, resolveBinary } from "../binary.js"
import { startCodexSession } from "./session.js"

const harness = "harness.codex"
const clientVersion = "0.1.0"

/** `harness.codex`: one `codex app-server` process per session, spoken to over JSON-RPC on stdio. */
export const CodexLive = Layer.scoped(
  Harness,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const executor = yield* CommandExecutor.CommandExecutor
    const fs = yield* FileSystem.FileSystem
    const runtime = config.settings.runtime
    const requestTimeout = Duration.seconds(runtime.harness_server_startup_timeout_secs)
    // Read once: the agent's environment is this process's, minus secrets (see secrets.ts).
    const parentEnv = { ...globalThis.process.env }
    const provide = <A, E>(effect: Effect.Effect<A, E, CommandExecutor.CommandExecutor | FileSystem.FileSystem>) =>
      effect.pipe(Effect.provideService(CommandExecutor.CommandExecutor, executor), Effect.provideService(FileSystem.FileSystem, fs))

    const binary = provide(
      resolveBinary({
        configKey: "runtime.codex_binary",
        value: runtime.codex_binary,
        allowUnsafeCommandPaths: runtime.allow_unsafe_command_paths,
        searchPath: parentEnv["PATH"] ?? "",
        extraDirs: packageBinDirs(),
        home: parentEnv["HOME"] ?? "/"
      })
    )

    // Sessions still open when the layer goes (orchestrator shutting down) are killed with it.
    const layerScope = yield* Effect.scope

    const open = (spec: SessionSpec, resumeThreadId: string | null) =>
      Effect.gen(function* () {
        const path = yield* binary
        const scope = yield* Scope.fork(layerScope, ExecutionStrategy.sequential)
        return yield* provide(
          startCodexSession(
            {
              binary: path,
              spec,
              resumeThreadId,
              requestTimeout,
              parentEnv,
              clientVersion,
              dataDir: config.dataDir,
              logRaw: runtime.harness_log_raw_events,
              logNormalized: runtime.harness_log_normalized_events
            },
            scope
          )
        ).pipe(Effect.onExit((exit) => (Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void)))
      })

    const health = Effect.gen(function* () {
      const path = yield* binary
      return yield* Effect.scoped(
        Effect.gen(function* () {
          const process = yield* Command.start(Command.make(path, "--version"))
          const [output, code] = yield* Effect.all([
            process.stdout.pipe(Stream.decodeText(), Stream.runCollect, Effect.map(Chunk.join(""))),
            process.exitCode
          ], { concurrency: 2 })
          if (code !== 0) return yield* new HarnessError({ harness, operation: "health", detail: `${path} --version exited with code ${code}` })
          return output.trim()
        })
      ).pipe(
        provide,
        Effect.catchTag("SystemError", "BadArgument", (error) => new HarnessError({ harness, operation: "health", detail: error.message })),
        Effect.timeoutFail({ duration: requestTimeout, onTimeout: () => new HarnessError({ harness, operation: "health", detail: "codex --version did not answer" }) })
      )
    })

    return {
      id: harness,
      capabilities: { steer: true, interrupt: true, resume: true, approvals: true, needsInput: true },
      health,
      spawn: (spec) => open(spec, null),
      resume: (spec, threadId) => open(spec, threadId)
    }
  })
)

import { CommandExecutor, FileSystem } from "@effect/platform"
import { Duration, Effect, ExecutionStrategy, Exit, Layer, Scope } from "effect"
import { HarnessError } from "../../../domain/errors.js"
import { AppConfig } from "../../../services/AppConfig.js"
import { Harness, type SessionSpec } from "../../../services/Harness.js"
import { runProcess } from "../../process/runProcess.js"
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
              envRemove: runtime.agent_env_remove,
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
      const output = yield* runProcess({ binary: path, args: ["--version"], timeout: requestTimeout }).pipe(
        provide,
        Effect.mapError((failure) =>
          new HarnessError({ harness, operation: "health", detail: failure.reason === "timeout" ? "codex --version did not answer" : failure.detail })
        )
      )
      if (output.exitCode !== 0) {
        return yield* new HarnessError({ harness, operation: "health", detail: `${path} --version exited with code ${output.exitCode}` })
      }
      return output.stdout.trim()
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

import { CommandExecutor, FileSystem } from "@effect/platform"
import { Duration, Effect, ExecutionStrategy, Exit, Layer, Scope } from "effect"
import { randomUUID } from "node:crypto"
import { HarnessError } from "../../../domain/errors.js"
import { AppConfig } from "../../../services/AppConfig.js"
import { Harness, type SessionSpec } from "../../../services/Harness.js"
import { runProcess } from "../../process/runProcess.js"
import { packageBinDirs, resolveBinary } from "../binary.js"
import { claudePackageDirs } from "./platformPackage.js"
import { startClaudeSession } from "./session.js"

const harness = "harness.claude"

/** `harness.claude`: one `claude --print` process per session, spoken to in stream-json on stdio. */
export const ClaudeLive = Layer.scoped(
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
        configKey: "runtime.claude_binary",
        value: runtime.claude_binary,
        allowUnsafeCommandPaths: runtime.allow_unsafe_command_paths,
        searchPath: parentEnv["PATH"] ?? "",
        extraDirs: [...packageBinDirs(), ...claudePackageDirs()],
        home: parentEnv["HOME"] ?? "/"
      })
    )

    // Sessions still open when the layer goes (orchestrator shutting down) are killed with it.
    const layerScope = yield* Effect.scope

    const open = (spec: SessionSpec, resumeId: string | null) =>
      Effect.gen(function* () {
        const path = yield* binary
        const scope = yield* Scope.fork(layerScope, ExecutionStrategy.sequential)
        return yield* provide(
          startClaudeSession(
            {
              binary: path,
              spec,
              claudeSessionId: resumeId ?? randomUUID(),
              resume: resumeId !== null,
              requestTimeout,
              parentEnv,
              envRemove: runtime.agent_env_remove,
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
          new HarnessError({ harness, operation: "health", detail: failure.reason === "timeout" ? "claude --version did not answer" : failure.detail })
        )
      )
      if (output.exitCode !== 0) {
        return yield* new HarnessError({ harness, operation: "health", detail: `${path} --version exited with code ${output.exitCode}` })
      }
      return output.stdout.trim()
    })

    return {
      id: harness,
      // Input during a turn is queued as the next turn, not steered into the running one.
      capabilities: { steer: false, interrupt: true, resume: true, approvals: true, needsInput: true },
      health,
      spawn: (spec) => open(spec, null),
      resume: (spec, sessionId) => open(spec, sessionId)
    }
  })
)

import { CommandExecutor, FileSystem } from "@effect/platform"
import { Duration, Effect, ExecutionStrategy, Exit, Scope } from "effect"
import { type BinaryUnavailable, HarnessError } from "../../domain/errors.js"
import type { HarnessId } from "../../domain/session.js"
import type { LoadedConfig } from "../../services/AppConfig.js"
import type { Harness, HarnessCapabilities, HarnessHandle, SessionSpec } from "../../services/Harness.js"
import { runProcess } from "../process/runProcess.js"
import { packageBinDirs, resolveBinary } from "./binary.js"

/** What one process-per-session harness needs to start a session. */
export interface SessionStart {
  readonly binary: string
  readonly spec: SessionSpec
  /** The stored harness session id to resume, or null for a new session. */
  readonly resumeId: string | null
  readonly requestTimeout: Duration.Duration
  /** This process's environment, read once; the agent's is derived from it (see secrets.ts). */
  readonly parentEnv: Readonly<Record<string, string | undefined>>
}

export interface ProcessHarnessOptions {
  readonly id: HarnessId
  readonly capabilities: HarnessCapabilities
  /** The `[runtime]` key naming the binary, and its value. */
  readonly binaryKey: string
  readonly binaryValue: (runtime: LoadedConfig["settings"]["runtime"]) => string
  /** Searched after PATH and the package's node_modules/.bin. */
  readonly extraDirs?: ReadonlyArray<string>
  readonly start: (
    session: SessionStart,
    scope: Scope.CloseableScope
  ) => Effect.Effect<HarnessHandle, HarnessError, CommandExecutor.CommandExecutor | FileSystem.FileSystem>
}

/**
 * A harness that runs one agent process per session (Codex app-server, Claude Code): finds the
 * binary, gives each session a scope of its own under the layer's (sessions still open when the
 * layer goes are killed with it), and answers health with `--version`.
 */
export const makeProcessHarness = (config: LoadedConfig, options: ProcessHarnessOptions) =>
  Effect.gen(function* () {
    const executor = yield* CommandExecutor.CommandExecutor
    const fs = yield* FileSystem.FileSystem
    const runtime = config.settings.runtime
    const requestTimeout = Duration.seconds(runtime.harness_server_startup_timeout_secs)
    const parentEnv = { ...globalThis.process.env }
    const provide = <A, E>(effect: Effect.Effect<A, E, CommandExecutor.CommandExecutor | FileSystem.FileSystem>) =>
      effect.pipe(Effect.provideService(CommandExecutor.CommandExecutor, executor), Effect.provideService(FileSystem.FileSystem, fs))

    const binary: Effect.Effect<string, BinaryUnavailable> = provide(
      resolveBinary({
        configKey: options.binaryKey,
        value: options.binaryValue(runtime),
        allowUnsafeCommandPaths: runtime.allow_unsafe_command_paths,
        searchPath: parentEnv["PATH"] ?? "",
        extraDirs: [...packageBinDirs(), ...(options.extraDirs ?? [])],
        home: parentEnv["HOME"] ?? "/"
      })
    )
    const layerScope = yield* Effect.scope

    const open = (spec: SessionSpec, resumeId: string | null) =>
      Effect.gen(function* () {
        const path = yield* binary
        const scope = yield* Scope.fork(layerScope, ExecutionStrategy.sequential)
        return yield* provide(options.start({ binary: path, spec, resumeId, requestTimeout, parentEnv }, scope)).pipe(
          Effect.onExit((exit) => (Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void))
        )
      })

    const health = Effect.gen(function* () {
      const path = yield* binary
      const output = yield* runProcess({ binary: path, args: ["--version"], timeout: requestTimeout }).pipe(
        provide,
        Effect.mapError((failure) =>
          new HarnessError({
            harness: options.id,
            operation: "health",
            detail: failure.reason === "timeout" ? `${path} --version did not answer` : failure.detail
          })
        )
      )
      if (output.exitCode !== 0) {
        return yield* new HarnessError({ harness: options.id, operation: "health", detail: `${path} --version exited with code ${output.exitCode}` })
      }
      return output.stdout.trim()
    })

    const harness: Harness["Type"] = {
      id: options.id,
      capabilities: options.capabilities,
      health,
      spawn: (spec) => open(spec, null),
      resume: (spec, harnessSessionId) => open(spec, harnessSessionId)
    }
    return harness
  })

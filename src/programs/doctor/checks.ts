import { CommandExecutor, FileSystem } from "@effect/platform"
import { Config, Effect, Option } from "effect"
import * as NodePath from "node:path"
import { resolveBinary, packageBinDirs } from "../../layers/harness/binary.js"
import { runCapture } from "../../layers/process/runCapture.js"
import type { LoadedConfig } from "../../services/AppConfig.js"

export type CheckStatus = "ok" | "warn" | "fail"

export interface CheckResult {
  readonly name: string
  readonly status: CheckStatus
  readonly detail: string
  /** A failed required check makes `doctor` exit 1; an optional one only warns. */
  readonly required: boolean
}

const firstLine = (text: string) => text.trim().split("\n")[0] ?? ""

/** Finds the binary the way the harnesses do, then asks it for its version. */
export const binaryCheck = (config: LoadedConfig, name: string, configKey: string, value: string, required: boolean) =>
  Effect.gen(function* () {
    const searchPath = yield* Config.string("PATH").pipe(Config.withDefault(""))
    const resolved = yield* Effect.either(
      resolveBinary({
        configKey,
        value,
        allowUnsafeCommandPaths: config.settings.runtime.allow_unsafe_command_paths,
        searchPath,
        extraDirs: packageBinDirs()
      })
    )
    if (resolved._tag === "Left") {
      return { name, status: required ? "fail" : "warn", detail: resolved.left.message, required } satisfies CheckResult
    }
    const version = yield* Effect.either(runCapture(resolved.right, ["--version"]))
    if (version._tag === "Left" || version.right.exitCode !== 0) {
      return { name, status: required ? "fail" : "warn", detail: `${resolved.right} does not run (--version failed)`, required } satisfies CheckResult
    }
    return { name, status: "ok", detail: `${firstLine(version.right.stdout || version.right.stderr)} (${resolved.right})`, required } satisfies CheckResult
  }).pipe(Effect.catchTag("ConfigError", () => Effect.succeed({ name, status: "fail", detail: "cannot read PATH", required } satisfies CheckResult)))

export const ghAuthCheck = (config: LoadedConfig) =>
  Effect.gen(function* () {
    const result = yield* Effect.either(runCapture(config.settings.github.binary, ["auth", "status"]))
    if (result._tag === "Left") return { name: "gh auth", status: "warn", detail: "gh is not available", required: false } satisfies CheckResult
    return result.right.exitCode === 0
      ? ({ name: "gh auth", status: "ok", detail: "logged in", required: false } satisfies CheckResult)
      : ({ name: "gh auth", status: "warn", detail: "not logged in: run `gh auth login` before opening pull requests", required: false } satisfies CheckResult)
  })

export const keyChecks = (config: LoadedConfig): ReadonlyArray<CheckResult> => {
  const provider = config.settings.ticketing_provider
  const key = (name: string, present: boolean, usedFor: string): CheckResult => ({
    name,
    status: present ? "ok" : "warn",
    detail: present ? `set (${usedFor})` : `not set (${usedFor} unavailable)`,
    required: false
  })
  return [
    key("LINEAR_API_KEY", Option.isSome(config.secrets.linearApiKey), "Linear tickets"),
    key("SHORTCUT_API_TOKEN", Option.isSome(config.secrets.shortcutApiToken), "Shortcut tickets"),
    key("OPENROUTER_API_KEY", Option.isSome(config.secrets.openrouterApiKey), "the supervisor"),
    { name: "tickets", status: "ok", detail: `using ${provider}`, required: false }
  ]
}

/** The store's directory exists or can be made, and a file there can be written and removed. */
export const storeCheck = (config: LoadedConfig) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const file = config.settings.event_store_path
    const dir = NodePath.dirname(file)
    const probe = NodePath.join(dir, `.orchestrator-doctor-${process.pid}`)
    const result = yield* Effect.either(
      Effect.gen(function* () {
        yield* fs.makeDirectory(dir, { recursive: true })
        yield* fs.writeFileString(probe, "ok")
        yield* fs.remove(probe)
      })
    )
    return result._tag === "Right"
      ? ({ name: "store", status: "ok", detail: `${file} (writable)`, required: true } satisfies CheckResult)
      : ({ name: "store", status: "fail", detail: `${dir} is not writable: ${result.left.message}`, required: true } satisfies CheckResult)
  })

export const runChecks = (config: LoadedConfig): Effect.Effect<ReadonlyArray<CheckResult>, never, FileSystem.FileSystem | CommandExecutor.CommandExecutor> =>
  Effect.gen(function* () {
    const settings = config.settings
    const harness = settings.harness_provider
    const results: Array<CheckResult> = [{ name: "config", status: "ok", detail: `${config.file} (valid)`, required: true }]
    results.push(yield* storeCheck(config))
    results.push(yield* binaryCheck(config, "git", "git.binary", settings.git.binary, true))
    results.push(yield* binaryCheck(config, "gh", "github.binary", settings.github.binary, true))
    results.push(yield* ghAuthCheck(config))
    results.push(yield* binaryCheck(config, "codex", "runtime.codex_binary", settings.runtime.codex_binary, harness === "harness.codex"))
    results.push(yield* binaryCheck(config, "opencode", "runtime.opencode_binary", settings.runtime.opencode_binary, harness === "harness.opencode"))
    results.push(...keyChecks(config))
    return results
  })

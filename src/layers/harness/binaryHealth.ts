import { Config, Effect } from "effect"
import type { Settings } from "../../domain/config.js"
import type { LoadedConfig } from "../../services/AppConfig.js"
import { ProcessRunner } from "../../services/ProcessRunner.js"
import { packageBinDirs, resolveBinary } from "./binary.js"

const firstLine = (text: string) => text.trim().split("\n")[0] ?? ""

/**
 * A harness row's health check: finds the binary that `binaryKey` names the way the harness does,
 * then runs `--version`. `extraDirs` are searched after the package's node_modules/.bin.
 * Answers "<version line> (<path>)".
 */
export const binaryHealth = (
  binaryKey: string,
  binaryOf: (settings: Settings) => string,
  extraDirs: () => ReadonlyArray<string> = () => []
) => (config: LoadedConfig) =>
  Effect.gen(function* () {
    const searchPath = yield* Config.string("PATH").pipe(Config.withDefault(""), Effect.orElseSucceed(() => ""))
    const path = yield* resolveBinary({
      configKey: binaryKey,
      value: binaryOf(config.settings),
      allowUnsafeCommandPaths: config.settings.runtime.allow_unsafe_command_paths,
      searchPath,
      extraDirs: [...packageBinDirs(), ...extraDirs()]
    })
    const runner = yield* ProcessRunner
    const output = yield* runner.run({ binary: path, args: ["--version"], timeout: "15 seconds" })
    return `${firstLine(output.stdout || output.stderr)} (${path})`
  })

import { Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Console, Effect, Option, Schema } from "effect"
import * as NodePath from "node:path"
import { stringify as stringifyToml } from "smol-toml"
import { Settings } from "../../domain/config.js"
import { ConfigUnreadable } from "../../domain/errors.js"
import { renderDefaultConfig } from "../../layers/config/ConfigLive.js"
import { readEnvironment, resolveConfigFile } from "../../layers/config/paths.js"
import { AppConfig, type Secrets } from "../../services/AppConfig.js"
import { backupFile } from "./configBackup.js"
import { ConfigFromFlags, rootCommand } from "./globals.js"

const secretLines = (secrets: Secrets): ReadonlyArray<string> =>
  (
    [
      ["LINEAR_API_KEY", secrets.linearApiKey],
      ["SHORTCUT_API_TOKEN", secrets.shortcutApiToken],
      ["OPENROUTER_API_KEY", secrets.openrouterApiKey],
      ["JIRA_API_TOKEN", secrets.jiraApiToken ?? Option.none()]
    ] as const
  ).map(([name, value]) => `# ${name}: ${Option.isSome(value) ? "set (hidden)" : "not set"}`)

const path = Command.make("path", {}, () =>
  Effect.gen(function* () {
    const globals = yield* rootCommand
    const env = yield* readEnvironment
    yield* Console.log(resolveConfigFile(globals.config, env))
  })
).pipe(Command.withDescription("print where the configuration file is"))

const show = Command.make("show", {}, () =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    yield* Console.log(
      [
        `# effective configuration from ${config.file} (with flags and defaults applied)`,
        ...secretLines(config.secrets),
        "",
        stringifyToml(Schema.encodeSync(Settings)(config.settings))
      ].join("\n")
    )
  }).pipe(Effect.provide(ConfigFromFlags))
).pipe(Command.withDescription("print the effective configuration; secrets are never shown"))

const init = Command.make(
  "init",
  { force: Options.boolean("force").pipe(Options.withDescription("replace an existing file (the old one is kept as a timestamped .bak beside it)")) },
  ({ force }) =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const globals = yield* rootCommand
      const env = yield* readEnvironment
      const file = resolveConfigFile(globals.config, env)
      const fail = (reason: string) => (error: { readonly message: string }) => new ConfigUnreadable({ file, reason: `${reason}: ${error.message}` })
      const exists = yield* fs.exists(file).pipe(Effect.mapError(fail("cannot check it")))
      if (exists && !force) {
        return yield* new ConfigUnreadable({ file, reason: "already exists; pass --force to replace it (the old file is kept as a timestamped .bak beside it)" })
      }
      yield* fs.makeDirectory(NodePath.dirname(file), { recursive: true }).pipe(Effect.mapError(fail("cannot create its directory")))
      const backup = exists ? yield* backupFile(file).pipe(Effect.mapError(fail("cannot back it up"))) : undefined
      yield* fs.writeFileString(file, renderDefaultConfig(env)).pipe(Effect.mapError(fail("cannot write it")))
      yield* Console.log(backup === undefined ? `wrote defaults to ${file}` : `wrote defaults to ${file} (previous file saved as ${backup})`)
    })
).pipe(Command.withDescription("write a configuration file with the defaults"))

export const configCommand = Command.make("config").pipe(
  Command.withDescription("where the configuration is, what it says, and defaults"),
  Command.withSubcommands([path, show, init])
)

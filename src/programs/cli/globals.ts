import { Command, Options } from "@effect/cli"
import { Console, Context, Effect, Layer, Option } from "effect"
import { VcsProviderId, VcsRepoProviderId } from "../../domain/config.js"
import { writeCheckedConfig } from "../../layers/config/checkedConfig.js"
import { ConfigLive, type ConfigOverrides } from "../../layers/config/ConfigLive.js"
import { readEnvironment, resolveCacheDir } from "../../layers/config/paths.js"
import { eventStoreFor } from "../../layers/eventStore/sqlite.js"
import { harnessProviders } from "../../layers/harness/providers.js"
import { trackerProviders } from "../../layers/ticketing/providers.js"
import { AppConfig, type LoadedConfig } from "../../services/AppConfig.js"
import { programBuild } from "./programBuild.js"

/** Flags every command accepts; they override the configuration file. */
export const globalOptions = {
  config: Options.file("config").pipe(Options.withDescription("configuration file to use"), Options.optional),
  ticketingProvider: Options.choice("ticketing-provider", trackerProviders.map((row) => row.id)).pipe(
    Options.withDescription("override ticketing_provider"),
    Options.optional
  ),
  harnessProvider: Options.choice("harness-provider", harnessProviders.map((row) => row.id)).pipe(
    Options.withDescription("override harness_provider"),
    Options.optional
  ),
  vcsProvider: Options.choice("vcs-provider", VcsProviderId.literals).pipe(Options.withDescription("override vcs_provider"), Options.optional),
  vcsRepoProvider: Options.choice("vcs-repo-provider", VcsRepoProviderId.literals).pipe(
    Options.withDescription("override vcs_repo_provider"),
    Options.optional
  ),
  verbose: Options.boolean("verbose").pipe(Options.withDescription("show full error causes"))
}

/** The names of the global flags that take a value, for moving them in front of the subcommand. */
export const globalFlagsWithValue = ["--config", "--ticketing-provider", "--harness-provider", "--vcs-provider", "--vcs-repo-provider"]
export const globalSwitches = ["--verbose"]

export const rootCommand = Command.make("orchestrator", globalOptions)

const overridesFrom = (globals: Command.Command.ParseConfig<typeof globalOptions>): ConfigOverrides => ({
  configPath: globals.config,
  ticketingProvider: globals.ticketingProvider,
  harnessProvider: globals.harnessProvider,
  vcsProvider: globals.vcsProvider,
  vcsRepoProvider: globals.vcsRepoProvider
})

/** Notes that this file's text was validated, for the quick start path of `sessions list` (src/quick.ts). */
const recordChecked = (config: LoadedConfig) =>
  Effect.gen(function* () {
    // A store on PostgreSQL ([database] url) is never read by the quick path: no record for it.
    if (config.fileSha256 === undefined || config.settings.database.url.trim() !== "") return
    const env = yield* readEnvironment
    const record = {
      format: 1,
      programVersion: programBuild,
      configFile: config.file,
      sha256: config.fileSha256,
      home: env.home,
      xdgDataHome: Option.getOrNull(env.xdgDataHome),
      eventStorePath: config.settings.event_store_path,
      busyTimeoutMs: config.settings.database.busy_timeout_ms,
      warnings: config.warnings,
      theme: config.settings.ui.theme
    } as const
    yield* Effect.sync(() => writeCheckedConfig(resolveCacheDir(env), record))
  }).pipe(Effect.ignore)

/** The configuration chosen by the global flags, its warnings printed once to stderr. */
export const ConfigFromFlags = Layer.unwrapEffect(
  Effect.map(rootCommand, (globals) =>
    Layer.tap(ConfigLive(overridesFrom(globals)), (context) => {
      const config = Context.get(context, AppConfig)
      return Effect.zipRight(
        Effect.forEach(config.warnings, (warning) => Console.error(`warning: ${warning}`)),
        recordChecked(config)
      )
    })
  )
)

const warn = (line: string) => Console.error(`warning: ${line}`)

/** Config plus the event store on the configured file, for commands that write. */
export const StoreFromFlags = eventStoreFor("write", warn).pipe(Layer.provideMerge(ConfigFromFlags))

/** Config plus the event store for commands that only read: a read-only or newer store is read (with a warning). */
export const ReadStoreFromFlags = eventStoreFor("read", warn).pipe(Layer.provideMerge(ConfigFromFlags))

import { FileSystem } from "@effect/platform"
import { Config, Effect, Either, Layer, Option, ParseResult, Schema } from "effect"
import * as NodePath from "node:path"
import { parse as parseToml, stringify as stringifyToml, TomlError } from "smol-toml"
import { LegacyLinearTrackerKeys, Settings, type VcsProviderId, type VcsRepoProviderId } from "../../domain/config.js"
import { ConfigInvalid, ConfigUnreadable } from "../../domain/errors.js"
import { AppConfig, type LoadedConfig, type Secrets } from "../../services/AppConfig.js"
import type { HarnessProvider } from "../../services/HarnessProvider.js"
import type { TrackerProvider } from "../../services/TrackerProvider.js"
import { harnessProviders } from "../harness/providers.js"
import { fallbackTrackerId, trackerProviders } from "../ticketing/providers.js"
import { sha256Hex } from "./checkedConfig.js"
import { summarizeIssue } from "./describeIssue.js"
import { moveTrackerKeys } from "./movedKeys.js"
import { chooseProvider } from "./providerChoice.js"
import { abbreviateHome, type Environment, expandHome, readEnvironment, resolveConfigFile, resolveDataDir } from "./paths.js"
import { unknownKeys } from "./unknownKeys.js"

/** What the global CLI flags may override. */
export interface ConfigOverrides {
  readonly configPath: Option.Option<string>
  readonly ticketingProvider: Option.Option<string>
  readonly harnessProvider: Option.Option<string>
  readonly vcsProvider: Option.Option<VcsProviderId>
  readonly vcsRepoProvider: Option.Option<VcsRepoProviderId>
}

export const noOverrides: ConfigOverrides = {
  configPath: Option.none(),
  ticketingProvider: Option.none(),
  harnessProvider: Option.none(),
  vcsProvider: Option.none(),
  vcsRepoProvider: Option.none()
}

/** The provider ids the file may name: the tables' rows (tests append their own). */
export interface ConfigProviders {
  readonly harnesses: ReadonlyArray<Pick<HarnessProvider, "id">>
  readonly trackers: ReadonlyArray<Pick<TrackerProvider, "id" | "secretEnv">>
}

export const tableProviders: ConfigProviders = { harnesses: harnessProviders, trackers: trackerProviders }

const decodeSettings = Schema.decodeUnknownEither(Settings, { errors: "first", onExcessProperty: "ignore" })
const decodeLegacyKeys = Schema.decodeUnknownEither(LegacyLinearTrackerKeys, { errors: "first", onExcessProperty: "ignore" })

const invalid = (file: string, error: ParseResult.ParseError) => {
  const summary = summarizeIssue(error.issue)
  return new ConfigInvalid({ file, keyPath: summary.path.join("."), expected: summary.expected, found: summary.found })
}

/** The settings a first run writes, with the data paths spelled out so the person can see them. */
export const defaultSettings = (env: Environment): Settings => {
  const defaults = Schema.decodeUnknownSync(Settings)({})
  const dataDir = abbreviateHome(resolveDataDir(env), env.home)
  return {
    ...defaults,
    worktrees_root: NodePath.posix.join(dataDir, "workspace"),
    event_store_path: NodePath.posix.join(dataDir, "events.sqlite")
  }
}

export const renderDefaultConfig = (env: Environment): string =>
  [
    "# orchestrator configuration. Secrets never go here: set them in the environment",
    `# (${[...trackerProviders.flatMap((row) => (row.secretEnv === undefined ? [] : [row.secretEnv])), "OPENROUTER_API_KEY"].join(", ")}).`,
    "# Paths accept ~. Run `orchestrator config show` for the effective values.",
    "",
    stringifyToml(Schema.encodeSync(Settings)(defaultSettings(env)))
  ].join("\n")

const readSecrets = Effect.gen(function* () {
  const secret = (name: string) => Config.option(Config.redacted(name))
  return {
    linearApiKey: yield* secret("LINEAR_API_KEY"),
    shortcutApiToken: yield* secret("SHORTCUT_API_TOKEN"),
    openrouterApiKey: yield* secret("OPENROUTER_API_KEY"),
    jiraApiToken: yield* secret("JIRA_API_TOKEN")
  } satisfies Secrets
})

const ensureFile = (fs: FileSystem.FileSystem, file: string, env: Environment) =>
  Effect.gen(function* () {
    if (yield* fs.exists(file)) return false
    yield* fs.makeDirectory(NodePath.dirname(file), { recursive: true })
    // "wx": never clobber a file another process wrote in the meantime (then that one is read).
    return yield* fs.writeFileString(file, renderDefaultConfig(env), { flag: "wx" }).pipe(
      Effect.as(true),
      Effect.catchIf(
        (error) => error._tag === "SystemError" && error.reason === "AlreadyExists",
        () => Effect.succeed(false)
      )
    )
  }).pipe(
    Effect.mapError((error) => new ConfigUnreadable({ file, reason: `cannot create the default configuration: ${error.message}` }))
  )

const parseFile = (file: string, text: string) =>
  Effect.try({
    try: () => parseToml(text),
    catch: (error) =>
      new ConfigUnreadable({
        file,
        reason: `not valid TOML${error instanceof TomlError ? ` at line ${error.line}, column ${error.column}` : ""}: ${
          error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)
        }`
      })
  })

const applyOverrides = (settings: Settings, overrides: ConfigOverrides): Settings => ({
  ...settings,
  ticketing_provider: Option.getOrElse(overrides.ticketingProvider, () => settings.ticketing_provider),
  harness_provider: Option.getOrElse(overrides.harnessProvider, () => settings.harness_provider),
  vcs_provider: Option.getOrElse(overrides.vcsProvider, () => settings.vcs_provider),
  vcs_repo_provider: Option.getOrElse(overrides.vcsRepoProvider, () => settings.vcs_repo_provider)
})

/** `~` expanded, then a relative path taken from the config file's directory (never the current one). */
const expandPaths = (settings: Settings, env: Environment, dataDir: string, configDir: string): Settings => {
  const resolve = (path: string) => NodePath.resolve(configDir, expandHome(path, env.home))
  return {
    ...settings,
    workspace: resolve(settings.workspace),
    worktrees_root: settings.worktrees_root === "" ? NodePath.join(dataDir, "workspace") : resolve(settings.worktrees_root),
    event_store_path: settings.event_store_path === "" ? NodePath.join(dataDir, "events.sqlite") : resolve(settings.event_store_path),
    projects: Object.fromEntries(Object.entries(settings.projects).map(([key, path]) => [key, resolve(path)]))
  }
}

/** Without its API key a remote tracker cannot work: fall back to local tickets and say so. */
const fallBackToLocal = (settings: Settings, trackers: ConfigProviders["trackers"]) =>
  Effect.gen(function* () {
    const secretEnv = trackers.find((row) => row.id === settings.ticketing_provider)?.secretEnv
    if (secretEnv === undefined || Option.isSome(yield* Config.option(Config.redacted(secretEnv)))) {
      return { settings, warning: Option.none<string>() }
    }
    return {
      settings: { ...settings, ticketing_provider: fallbackTrackerId },
      warning: Option.some(`${secretEnv} is not set: using local tickets (${fallbackTrackerId}) instead of ${settings.ticketing_provider}`)
    }
  })

export const loadConfig = (overrides: ConfigOverrides, providers: ConfigProviders = tableProviders) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const env = yield* readEnvironment
    const file = resolveConfigFile(overrides.configPath, env)
    const created = yield* ensureFile(fs, file, env)
    const text = yield* fs
      .readFileString(file)
      .pipe(Effect.mapError((error) => new ConfigUnreadable({ file, reason: `cannot read it: ${error.message}` })))
    const parsed = yield* parseFile(file, text)
    // The old spellings are checked where they were typed, so an error names that key.
    yield* Either.mapLeft(decodeLegacyKeys(parsed), (error) => invalid(file, error))
    const { notes, raw } = moveTrackerKeys(parsed)
    const decoded = yield* Either.mapLeft(decodeSettings(raw), (error) => invalid(file, error))
    yield* chooseProvider(file, "ticketing_provider", providers.trackers, decoded.ticketing_provider)
    yield* chooseProvider(file, "harness_provider", providers.harnesses, decoded.harness_provider)
    const unknown = unknownKeys(raw, Schema.encodeSync(Settings)(decoded))
    const secrets = yield* readSecrets
    const dataDir = resolveDataDir(env)
    const overridden = applyOverrides(expandPaths(decoded, env, dataDir, NodePath.dirname(file)), overrides)
    const fallback = yield* fallBackToLocal(overridden, providers.trackers)
    const warnings = [...unknown.map((key) => `unknown key "${key}" is ignored`), ...notes].map((warning) => `${file}: ${warning}`)
    return {
      file,
      fileSha256: sha256Hex(text),
      created,
      settings: fallback.settings,
      dataDir,
      secrets,
      warnings,
      ...(Option.isSome(fallback.warning) ? { ticketingFallback: fallback.warning.value } : {})
    } satisfies LoadedConfig
  }).pipe(
    Effect.catchTag("ConfigError", (error) =>
      Effect.fail(new ConfigUnreadable({ file: "environment", reason: String(error) }))
    )
  )

export const ConfigLive = (overrides: ConfigOverrides, providers: ConfigProviders = tableProviders) =>
  Layer.effect(AppConfig, loadConfig(overrides, providers))

/** For tests: a config from the given raw TOML-shaped value, no file involved. */
export const configFromValue = (raw: unknown, dataDir: string): Effect.Effect<LoadedConfig, ParseResult.ParseError> =>
  Effect.map(Schema.decodeUnknown(Settings)(raw), (settings) => ({
    file: "<memory>",
    created: false,
    settings: {
      ...settings,
      worktrees_root: settings.worktrees_root === "" ? NodePath.join(dataDir, "workspace") : settings.worktrees_root,
      event_store_path: settings.event_store_path === "" ? NodePath.join(dataDir, "events.sqlite") : settings.event_store_path
    },
    dataDir,
    secrets: { linearApiKey: Option.none(), shortcutApiToken: Option.none(), openrouterApiKey: Option.none() },
    warnings: []
  }))

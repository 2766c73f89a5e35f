import { Config, Effect, Option } from "effect"
import { cacheDirOf, configFileOf, dataDirOf, type Locations } from "./locations.js"

export { expandHome } from "./locations.js"

/** The environment this program reads: the config path override and the XDG base dirs. */
export interface Environment {
  readonly home: string
  readonly orchestratorConfig: Option.Option<string>
  readonly xdgConfigHome: Option.Option<string>
  readonly xdgDataHome: Option.Option<string>
  readonly xdgCacheHome: Option.Option<string>
}

const optionalVar = (name: string) =>
  Config.option(Config.string(name)).pipe(Effect.map(Option.filter((value) => value.trim() !== "")))

export const readEnvironment = Effect.gen(function* () {
  const home = yield* Config.string("HOME").pipe(Config.withDefault("/"))
  return {
    home,
    orchestratorConfig: yield* optionalVar("ORCHESTRATOR_CONFIG"),
    xdgConfigHome: yield* optionalVar("XDG_CONFIG_HOME"),
    xdgDataHome: yield* optionalVar("XDG_DATA_HOME"),
    xdgCacheHome: yield* optionalVar("XDG_CACHE_HOME")
  } satisfies Environment
})

export const locationsOf = (env: Environment): Locations => ({
  home: env.home,
  orchestratorConfig: Option.getOrUndefined(env.orchestratorConfig),
  xdgConfigHome: Option.getOrUndefined(env.xdgConfigHome),
  xdgDataHome: Option.getOrUndefined(env.xdgDataHome),
  xdgCacheHome: Option.getOrUndefined(env.xdgCacheHome)
})

/** Writes a path under the home dir with `~`, for files the person will read. */
export const abbreviateHome = (path: string, home: string): string =>
  home !== "/" && path.startsWith(home + "/") ? "~/" + path.slice(home.length + 1) : path

/** `--config`, else `$ORCHESTRATOR_CONFIG`, else `$XDG_CONFIG_HOME/...`, else `~/.config/...`. */
export const resolveConfigFile = (flag: Option.Option<string>, env: Environment): string =>
  configFileOf(Option.getOrUndefined(flag), locationsOf(env))

export const resolveDataDir = (env: Environment): string => dataDirOf(locationsOf(env))

export const resolveCacheDir = (env: Environment): string => cacheDirOf(locationsOf(env))

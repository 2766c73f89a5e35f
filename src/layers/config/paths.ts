import { Config, Effect, Option } from "effect"
import * as NodePath from "node:path"

/** The environment this program reads: the config path override and the XDG base dirs. */
export interface Environment {
  readonly home: string
  readonly orchestratorConfig: Option.Option<string>
  readonly xdgConfigHome: Option.Option<string>
  readonly xdgDataHome: Option.Option<string>
}

const optionalVar = (name: string) =>
  Config.option(Config.string(name)).pipe(Effect.map(Option.filter((value) => value.trim() !== "")))

export const readEnvironment = Effect.gen(function* () {
  const home = yield* Config.string("HOME").pipe(Config.withDefault("/"))
  return {
    home,
    orchestratorConfig: yield* optionalVar("ORCHESTRATOR_CONFIG"),
    xdgConfigHome: yield* optionalVar("XDG_CONFIG_HOME"),
    xdgDataHome: yield* optionalVar("XDG_DATA_HOME")
  } satisfies Environment
})

export const expandHome = (path: string, home: string): string =>
  path === "~" ? home : path.startsWith("~/") ? NodePath.join(home, path.slice(2)) : path

/** Writes a path under the home dir with `~`, for files the person will read. */
export const abbreviateHome = (path: string, home: string): string =>
  home !== "/" && path.startsWith(home + "/") ? "~/" + path.slice(home.length + 1) : path

/** `--config`, else `$ORCHESTRATOR_CONFIG`, else `$XDG_CONFIG_HOME/...`, else `~/.config/...`. */
export const resolveConfigFile = (flag: Option.Option<string>, env: Environment): string => {
  const explicit = Option.orElse(flag, () => env.orchestratorConfig)
  if (Option.isSome(explicit)) return NodePath.resolve(expandHome(explicit.value, env.home))
  const base = Option.getOrElse(env.xdgConfigHome, () => NodePath.join(env.home, ".config"))
  return NodePath.join(expandHome(base, env.home), "orchestrator", "config.toml")
}

export const resolveDataDir = (env: Environment): string => {
  const base = Option.getOrElse(env.xdgDataHome, () => NodePath.join(env.home, ".local", "share"))
  return NodePath.join(expandHome(base, env.home), "orchestrator")
}

import * as NodePath from "node:path"

// Where the configuration, the data and the cache live. Plain functions without Effect: the Config
// layer (paths.ts) and the quick start path (src/quick.ts) resolve them the same way.

/** The variables this program reads, blank ones already dropped. */
export interface Locations {
  readonly home: string
  readonly orchestratorConfig: string | undefined
  readonly xdgConfigHome: string | undefined
  readonly xdgDataHome: string | undefined
  readonly xdgCacheHome: string | undefined
}

const nonBlank = (value: string | undefined): string | undefined => (value === undefined || value.trim() === "" ? undefined : value)

/** The locations from a process environment (`process.env`). */
export const locationsFromEnv = (env: Readonly<Record<string, string | undefined>>): Locations => ({
  home: env.HOME ?? "/",
  orchestratorConfig: nonBlank(env.ORCHESTRATOR_CONFIG),
  xdgConfigHome: nonBlank(env.XDG_CONFIG_HOME),
  xdgDataHome: nonBlank(env.XDG_DATA_HOME),
  xdgCacheHome: nonBlank(env.XDG_CACHE_HOME)
})

export const expandHome = (path: string, home: string): string =>
  path === "~" ? home : path.startsWith("~/") ? NodePath.join(home, path.slice(2)) : path

/** `--config`, else `$ORCHESTRATOR_CONFIG`, else `$XDG_CONFIG_HOME/...`, else `~/.config/...`. */
export const configFileOf = (flag: string | undefined, locations: Locations): string => {
  const explicit = flag ?? locations.orchestratorConfig
  if (explicit !== undefined) return NodePath.resolve(expandHome(explicit, locations.home))
  const base = locations.xdgConfigHome ?? NodePath.join(locations.home, ".config")
  return NodePath.join(expandHome(base, locations.home), "orchestrator", "config.toml")
}

export const dataDirOf = (locations: Locations): string => {
  const base = locations.xdgDataHome ?? NodePath.join(locations.home, ".local", "share")
  return NodePath.join(expandHome(base, locations.home), "orchestrator")
}

/** Files the program can always rebuild: `$XDG_CACHE_HOME/orchestrator`, else `~/.cache/orchestrator`. */
export const cacheDirOf = (locations: Locations): string => {
  const base = locations.xdgCacheHome ?? NodePath.join(locations.home, ".cache")
  return NodePath.join(expandHome(base, locations.home), "orchestrator")
}

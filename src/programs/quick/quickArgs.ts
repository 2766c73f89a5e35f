import { sessionStateNames } from "../../domain/literals.js"

/** A `sessions list` the quick start path can answer. */
export interface QuickSessionsList {
  readonly config: string | undefined
  readonly json: boolean
  readonly state: string | undefined
}

/** A plain `run` (the screen) whose first frame the quick start path can draw. */
export interface QuickRun {
  readonly config: string | undefined
}

/** A command's own flag: true when taken, false when the full CLI must parse the arguments. */
type CommandFlag = (name: string, inline: string | undefined, value: () => string | undefined, positionals: ReadonlyArray<string>) => boolean

/**
 * The positionals and `--config` of the arguments (after `node orchestrator`), or undefined when a
 * flag is not one the quick path knows; then the full CLI parses them (help, errors, every other
 * command). Global flags may stand anywhere, as the full CLI allows; the rest go to `commandFlag`.
 */
const scanArgs = (args: ReadonlyArray<string>, commandFlag: CommandFlag): { readonly positionals: ReadonlyArray<string>; readonly config: string | undefined } | undefined => {
  const positionals: Array<string> = []
  let config: string | undefined
  let verbose = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? ""
    const [name = arg, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg]
    const value = (): string | undefined => {
      if (inline !== undefined) return inline
      const next = args[i + 1]
      if (next === undefined || next.startsWith("-")) return undefined
      i++
      return next
    }
    if (!name.startsWith("-")) positionals.push(name)
    else if (name === "--config" && config === undefined) {
      config = value()
      if (config === undefined || config === "") return undefined
    } else if (name === "--verbose" && inline === undefined && !verbose) verbose = true
    else if (!commandFlag(name, inline, value, positionals)) return undefined
  }
  return { positionals, config }
}

/** The arguments when they are exactly a `sessions list` with `--json` and `--state` (only after `list`), else undefined. */
export const parseQuickSessionsList = (args: ReadonlyArray<string>): QuickSessionsList | undefined => {
  let json = false
  let state: string | undefined
  const scanned = scanArgs(args, (name, inline, value, positionals) => {
    if (positionals.length < 2) return false
    if (name === "--json" && inline === undefined && !json) return (json = true)
    if (name !== "--state" || state !== undefined) return false
    state = value()
    return state !== undefined && (sessionStateNames as ReadonlyArray<string>).includes(state)
  })
  if (scanned === undefined) return undefined
  const [command, sub, ...rest] = scanned.positionals
  return command === "sessions" && sub === "list" && rest.length === 0 ? { config: scanned.config, json, state } : undefined
}

/** The arguments when they are exactly `run` (the screen: no `--headless`, `--demo`, `--web` or other flag), else undefined. */
export const parseQuickRun = (args: ReadonlyArray<string>): QuickRun | undefined => {
  const scanned = scanArgs(args, () => false)
  return scanned !== undefined && scanned.positionals.length === 1 && scanned.positionals[0] === "run" ? { config: scanned.config } : undefined
}

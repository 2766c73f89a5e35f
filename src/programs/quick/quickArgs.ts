import { sessionStateNames } from "../../domain/literals.js"

/** A `sessions list` the quick start path can answer. */
export interface QuickSessionsList {
  readonly config: string | undefined
  readonly json: boolean
  readonly state: string | undefined
}

/**
 * The arguments (after `node orchestrator`) when they are exactly a `sessions list` with the flags
 * below; otherwise undefined, and the full CLI parses them (help, errors, every other command).
 * Global flags may stand anywhere, as the full CLI allows; `--json` and `--state` only after `list`.
 */
export const parseQuickSessionsList = (args: ReadonlyArray<string>): QuickSessionsList | undefined => {
  const positionals: Array<string> = []
  let config: string | undefined
  let json = false
  let state: string | undefined
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
    else if (positionals.length < 2) return undefined
    else if (name === "--json" && inline === undefined && !json) json = true
    else if (name === "--state" && state === undefined) {
      state = value()
      if (state === undefined || !(sessionStateNames as ReadonlyArray<string>).includes(state)) return undefined
    } else return undefined
  }
  return positionals.length === 2 && positionals[0] === "sessions" && positionals[1] === "list" ? { config, json, state } : undefined
}

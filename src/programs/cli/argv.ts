import { globalFlagsWithValue, globalSwitches } from "./globals.js"

/**
 * @effect/cli reads a parent command's options only before the subcommand; people type global flags
 * anywhere (`orchestrator sessions list --config x`). Moves them in front, keeping their values.
 */
export const hoistGlobalFlags = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const [node = "node", script = "orchestrator", ...rest] = argv
  const hoisted: Array<string> = []
  const others: Array<string> = []
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? ""
    if (arg === "--") {
      others.push(...rest.slice(i))
      break
    }
    const name = arg.split("=")[0] ?? arg
    if (globalSwitches.includes(arg)) hoisted.push(arg)
    else if (globalFlagsWithValue.includes(name) && arg.includes("=")) hoisted.push(name, arg.slice(name.length + 1))
    else if (globalFlagsWithValue.includes(arg) && i + 1 < rest.length) {
      hoisted.push(arg, rest[i + 1] ?? "")
      i++
    } else others.push(arg)
  }
  return [node, script, ...hoisted, ...others]
}

import { terminalText } from "../../domain/terminalText.js"

/** A flag as the help's usage lines show it: its name and, when it takes one, what its value is. */
export interface UsageFlag {
  readonly name: string
  /** null: a switch; otherwise the value's kind (`text`, `integer`) or its choices. */
  readonly value: null | { readonly kind: string; readonly choices: ReadonlyArray<string> }
}

const choiceList = /[^\s[\]|]+(?: \| [^\s[\]|]+)+/
const flagPattern = new RegExp(`(--[a-z][a-z0-9-]*)(?: (${choiceList.source}|[a-z]+(?=[ \\]]|$)))?`, "gm")

/** Every flag the help names with its value, read from its plain text. */
export const usageFlags = (helpText: string): ReadonlyArray<UsageFlag> => {
  const flags = new Map<string, UsageFlag>()
  for (const match of terminalText(helpText).matchAll(flagPattern)) {
    const name = match[1] ?? ""
    const spec = match[2]
    const known = flags.get(name)
    if (spec === undefined) {
      if (known === undefined) flags.set(name, { name, value: null })
      continue
    }
    const choices = spec.includes(" | ") ? spec.split(" | ") : []
    if (known?.value === undefined || known.value === null) flags.set(name, { name, value: { kind: choices.length > 0 ? "choice" : spec, choices } })
  }
  return [...flags.values()]
}

const valueAfter = (argv: ReadonlyArray<string>, flag: string): string | undefined => {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ""
    if (arg === flag) return argv[i + 1]
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1)
  }
  return undefined
}

/**
 * One line for a usage error, naming the flag: @effect/cli says "Received unknown argument: '--state'"
 * for a flag whose value is missing, and "Expected one of the following cases: …" without the flag.
 */
export const usageMessage = (parserText: string, argv: ReadonlyArray<string>, flags: ReadonlyArray<UsageFlag>): string => {
  const text = terminalText(parserText).trim().split("\n").filter((line) => line.trim() !== "").join(" ")
  const unknown = /^Received unknown argument: '(.*)'$/.exec(text)
  if (unknown !== null) {
    const arg = unknown[1] ?? ""
    const flag = flags.find((f) => f.name === arg)
    if (flag !== undefined && flag.value !== null) return `${arg} needs a value (${flag.value.choices.length > 0 ? `one of ${flag.value.choices.join(", ")}` : flag.value.kind})`
    if (flag !== undefined) return `${arg} is not an option of this command (see --help)`
    return arg.startsWith("-") ? `unknown flag ${arg} (see --help)` : `unexpected argument '${arg}' (see --help)`
  }
  const cases = /^Expected one of the following cases: (.*)$/.exec(text)
  if (cases !== null) {
    const expected = (cases[1] ?? "").split(", ")
    const sameChoices = (flag: UsageFlag) => flag.value !== null && flag.value.choices.join("|") === expected.join("|")
    const culprit = flags.filter(sameChoices).find((flag) => {
      const given = valueAfter(argv, flag.name)
      return given !== undefined && !expected.includes(given)
    })
    if (culprit !== undefined) return `${culprit.name}: expected one of ${expected.join(", ")}; got "${valueAfter(argv, culprit.name) ?? ""}"`
  }
  const missingOption = /^Expected to find option: '(.*)'$/.exec(text)
  if (missingOption !== null) return `missing ${missingOption[1] ?? ""}`
  return text
}

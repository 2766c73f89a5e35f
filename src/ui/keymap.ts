import type { Key } from "ink"
import { graphemes, isTypedText } from "./textEdit.js"

/** Key bindings as data: one table, checked for duplicates and prefix conflicts when loaded. */

export type KeyContext = "normal" | "insert" | "picker" | "pickerFilter" | "chat" | "diff" | "confirm" | "help" | "repository"

export type KeyCommand =
  | "moveDown"
  | "moveUp"
  | "openPicker"
  | "openChat"
  | "insertMode"
  | "normalMode"
  | "send"
  | "advance"
  | "merge"
  | "openDiff"
  | "archive"
  | "quit"
  | "help"
  | "scrollUp"
  | "scrollDown"
  | "toggleFolds"
  | "approve"
  | "decline"
  | "chooseOption"
  | "focusSession"
  | "pickerStart"
  | "pickerNew"
  | "pickerFilter"
  | "close"
  | "confirm"
  | "cancel"
  | "recallOlder"
  | "chooseRepository"
  | "completePath"
  | "recallNewer"

export interface Binding {
  readonly context: KeyContext
  readonly command: KeyCommand
  /** Each entry is one key sequence; tokens are single keys such as `j`, `enter`, `pagedown`. */
  readonly keys: ReadonlyArray<ReadonlyArray<string>>
  readonly description: string
}

const bind = (context: KeyContext, command: KeyCommand, keys: ReadonlyArray<string>, description: string): Binding => ({
  context,
  command,
  keys: keys.map((sequence) => sequence.split(" ")),
  description
})

const digits = ["1", "2", "3", "4", "5", "6", "7", "8", "9"]

export const keymap: ReadonlyArray<Binding> = [
  bind("normal", "moveDown", ["j", "down"], "next session"),
  bind("normal", "moveUp", ["k", "up"], "previous session"),
  bind("normal", "focusSession", ["enter"], "focus the selected session"),
  bind("normal", "openPicker", ["s"], "tickets"),
  bind("normal", "openChat", ["c"], "supervisor chat"),
  bind("normal", "insertMode", ["i"], "message the agent"),
  bind("normal", "advance", ["w n"], "advance workflow"),
  bind("normal", "merge", ["w m"], "merge the pull request"),
  bind("normal", "openDiff", ["D"], "worktree diff"),
  bind("normal", "archive", ["x"], "archive"),
  bind("normal", "scrollUp", ["K", "pageup"], "scroll transcript up"),
  bind("normal", "scrollDown", ["J", "pagedown"], "scroll transcript down"),
  bind("normal", "toggleFolds", ["z"], "unfold/fold reasoning, commands, files"),
  bind("normal", "approve", ["a"], "approve the request"),
  bind("normal", "decline", ["d"], "decline the request"),
  bind("normal", "chooseOption", digits, "answer with option N"),
  bind("normal", "help", ["?"], "help"),
  bind("normal", "quit", ["q"], "quit"),
  bind("insert", "send", ["enter"], "send (steers a running turn)"),
  bind("insert", "normalMode", ["esc"], "back to normal mode"),
  bind("insert", "recallOlder", ["up"], "previous message sent to this agent"),
  bind("insert", "recallNewer", ["down"], "next message sent"),
  bind("picker", "moveDown", ["j", "down"], "next ticket"),
  bind("picker", "moveUp", ["k", "up"], "previous ticket"),
  bind("picker", "pickerStart", ["enter"], "start the ticket"),
  bind("picker", "pickerNew", ["n"], "new local ticket"),
  bind("picker", "pickerFilter", ["/"], "filter (or just type)"),
  bind("picker", "close", ["esc"], "close"),
  bind("pickerFilter", "moveDown", ["down"], "next ticket"),
  bind("pickerFilter", "moveUp", ["up"], "previous ticket"),
  bind("pickerFilter", "pickerStart", ["enter"], "start the ticket"),
  bind("pickerFilter", "close", ["esc"], "stop filtering"),
  bind("chat", "send", ["enter"], "ask"),
  bind("chat", "close", ["esc"], "close"),
  bind("diff", "scrollDown", ["j", "down", "J", "pagedown"], "scroll down"),
  bind("diff", "scrollUp", ["k", "up", "K", "pageup"], "scroll up"),
  bind("diff", "close", ["esc", "q"], "close"),
  bind("confirm", "confirm", ["y"], "yes"),
  bind("confirm", "cancel", ["n", "esc"], "no"),
  bind("help", "close", ["esc", "?", "q"], "close"),
  bind("repository", "chooseRepository", ["enter"], "choose"),
  bind("repository", "completePath", ["tab"], "complete"),
  bind("repository", "moveDown", ["down"], "next"),
  bind("repository", "moveUp", ["up"], "previous"),
  bind("repository", "close", ["esc"], "cancel")
]

const isPrefix = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): boolean =>
  a.length <= b.length && a.every((token, i) => b[i] === token)

/** Every conflict in a table: the same sequence twice, or one sequence the prefix of another, in one context. */
export const keymapConflicts = (table: ReadonlyArray<Binding>): ReadonlyArray<string> => {
  const problems: Array<string> = []
  const seen: Array<{ readonly context: KeyContext; readonly sequence: ReadonlyArray<string>; readonly command: KeyCommand }> = []
  for (const binding of table) {
    for (const sequence of binding.keys) {
      for (const other of seen) {
        if (other.context !== binding.context) continue
        const shown = `${binding.context}: "${sequence.join(" ")}" (${binding.command}) and "${other.sequence.join(" ")}" (${other.command})`
        if (other.sequence.length === sequence.length && isPrefix(other.sequence, sequence)) problems.push(`duplicate key in ${shown}`)
        else if (isPrefix(other.sequence, sequence) || isPrefix(sequence, other.sequence)) problems.push(`prefix conflict in ${shown}`)
      }
      seen.push({ context: binding.context, sequence, command: binding.command })
    }
  }
  return problems
}

const problems = keymapConflicts(keymap)
if (problems.length > 0) throw new Error(`invalid keymap: ${problems.join("; ")}`)

/** The token for one key press, or null for keys the table never names. */
export const keyToken = (input: string, key: Key): string | null => {
  if (key.return) return "enter"
  if (key.escape) return "esc"
  if (key.pageUp) return "pageup"
  if (key.pageDown) return "pagedown"
  if (key.upArrow) return "up"
  if (key.downArrow) return "down"
  if (key.leftArrow) return "left"
  if (key.rightArrow) return "right"
  if (key.home) return "home"
  if (key.end) return "end"
  if (key.tab) return "tab"
  if ((key.backspace || key.delete) && key.meta) return "meta+backspace"
  if (key.backspace || key.delete) return "backspace"
  if (key.ctrl) return input.length === 1 ? `ctrl+${input}` : null
  if (key.meta) return input.length === 1 ? `meta+${input}` : null
  // One typed character, an emoji or a letter with its combining marks included.
  return input.length > 0 && isTypedText(input) ? input : null
}

/**
 * A chunk of pasted or fast-typed text as tokens, one per grapheme: a line break inside it is a
 * newline in the text, one at its very end is Enter (typed text then Enter can arrive together).
 */
export const pastedTokens = (chunk: string): ReadonlyArray<string> => {
  const parts = graphemes(chunk)
  return parts.map((part, i) => {
    if (/^[\r\n]+$/.test(part)) return i === parts.length - 1 ? "enter" : "newline"
    return part === "\t" ? " " : part
  })
}

export type Match =
  | { readonly _tag: "Command"; readonly command: KeyCommand; readonly token: string }
  | { readonly _tag: "Pending"; readonly prefix: ReadonlyArray<string>; readonly continuations: ReadonlyArray<Binding> }
  | { readonly _tag: "None" }

/** Matches the pending prefix plus one more token against one context of the table. */
export const matchKeys = (
  context: KeyContext,
  pending: ReadonlyArray<string>,
  token: string,
  table: ReadonlyArray<Binding> = keymap
): Match => {
  const sequence = [...pending, token]
  const continuations: Array<Binding> = []
  for (const binding of table) {
    if (binding.context !== context) continue
    for (const keys of binding.keys) {
      if (keys.length === sequence.length && isPrefix(keys, sequence)) return { _tag: "Command", command: binding.command, token }
      if (keys.length > sequence.length && isPrefix(sequence, keys)) continuations.push(binding)
    }
  }
  return continuations.length > 0 ? { _tag: "Pending", prefix: sequence, continuations } : { _tag: "None" }
}

/** The bindings of a context, for the footer and the help overlay. */
export const bindingsOf = (context: KeyContext, table: ReadonlyArray<Binding> = keymap): ReadonlyArray<Binding> =>
  table.filter((binding) => binding.context === context)

export const describeKeys = (binding: Binding): string => binding.keys.map((sequence) => sequence.join(" ")).join("/")

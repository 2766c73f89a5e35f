import stringWidth from "string-width"
import { type Binding, bindingsOf, describeKeys, type KeyCommand, type KeyContext } from "./keymap.js"

/** Normal mode's footer shows these; every other mode shows all its bindings. */
const normalHints: ReadonlySet<KeyCommand> = new Set(["moveDown", "openPicker", "insertMode", "advance", "openDiff", "openChat", "help", "quit"])

/** The bindings the footer offers in a mode (before `fitHints` fits them to the width). */
export const footerHints = (context: KeyContext): ReadonlyArray<Binding> => bindingsOf(context).filter((b) => context !== "normal" || normalHints.has(b.command))

/** Normal mode's hints, most important first: the last ones go first when the footer is narrow. */
const importance: ReadonlyArray<KeyCommand> = ["help", "quit", "openPicker", "insertMode", "moveDown", "advance", "openChat", "openDiff"]

const rank = (command: KeyCommand): number => {
  const at = importance.indexOf(command)
  return at === -1 ? importance.length : at
}

const SEPARATOR = " · "

export const hintText = (binding: Binding): string => `${describeKeys(binding)} ${binding.description}`

/**
 * The hints that fit `width` columns after `lead`, in their table order: the least important are
 * dropped first and `?` help always stays (it lists the rest).
 */
export const fitHints = (lead: string, hints: ReadonlyArray<Binding>, width: number): string => {
  const kept = new Set(hints)
  const line = () => lead + hints.filter((h) => kept.has(h)).map(hintText).join(SEPARATOR)
  // Hints the table does not rank are dropped from its end.
  const byDropOrder = hints.map((hint, index) => ({ hint, index })).sort((a, b) => rank(b.hint.command) - rank(a.hint.command) || b.index - a.index).map((h) => h.hint)
  for (const hint of byDropOrder) {
    if (stringWidth(line()) <= width) break
    if (hint.command === "help") continue
    kept.delete(hint)
  }
  return line()
}

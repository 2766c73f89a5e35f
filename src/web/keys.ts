/// <reference lib="dom" />
import { bindingsOf, type KeyCommand } from "../ui/keymap.js"

/** The screen's keys that mean the same on the page (the rest need the screen's modes). */
const webCommands = new Set<KeyCommand>(["moveDown", "moveUp", "advance", "openDiff", "approve", "decline"])

const tokenOf = (event: KeyboardEvent): string | null => {
  if (event.key === "ArrowDown") return "down"
  if (event.key === "ArrowUp") return "up"
  return event.key.length === 1 ? event.key : null
}

/**
 * Listens for the keymap table's normal-mode sequences (`j`, `k`, `w n`, `D`, `a`, `d`) outside text
 * fields and calls `run` with the command. Returns the function that stops listening.
 */
export const listenForKeys = (run: (command: KeyCommand) => void): (() => void) => {
  const bindings = bindingsOf("normal").filter((binding) => webCommands.has(binding.command))
  let typed: Array<string> = []
  const onKey = (event: KeyboardEvent) => {
    const target = event.target
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return
    if (event.ctrlKey || event.metaKey || event.altKey) return
    const token = tokenOf(event)
    if (token === null) return
    typed = [...typed, token]
    const prefixOf = (sequence: ReadonlyArray<string>) => typed.every((t, i) => sequence[i] === t)
    const exact = bindings.find((binding) => binding.keys.some((sequence) => sequence.length === typed.length && prefixOf(sequence)))
    if (exact !== undefined) {
      typed = []
      event.preventDefault()
      return run(exact.command)
    }
    if (!bindings.some((binding) => binding.keys.some((sequence) => sequence.length > typed.length && prefixOf(sequence)))) typed = []
  }
  window.addEventListener("keydown", onKey)
  return () => window.removeEventListener("keydown", onKey)
}

import type { StoredEvent } from "../../domain/events.js"
import { terminalLine, terminalText } from "../../domain/terminalText.js"
import { clip } from "./table.js"

/** One line for an event, for `sessions show`. */
export const describeStoredEvent = (stored: StoredEvent): string => {
  const event = stored.event
  if (event._tag !== "SessionEvent") return event._tag
  const worker = event.event
  switch (worker._tag) {
    case "TextDelta":
    case "Message":
    case "Reasoning":
    case "ReasoningDelta":
    case "CommandOutputDelta":
      return `${worker._tag} ${JSON.stringify(clip(worker.text, 60))}`
    case "CommandExecution":
      return `CommandExecution ${JSON.stringify(clip(worker.command, 60))} ${worker.status}${worker.exitCode === null ? "" : ` exit ${worker.exitCode}`}`
    case "TurnCompleted":
      return `TurnCompleted ${worker.status}${worker.usage === null ? "" : ` tokens ${worker.usage.total}`}`
    case "Crashed":
    case "Done":
    case "Blocked":
      return `${worker._tag}: ${terminalLine(worker.reason)}`
    default:
      return worker._tag
  }
}

const agentLines = (text: string) => terminalText(text).split("\n").map((line) => `agent: ${line}`)

/** The readable transcript: messages joined from their deltas, commands, and turn marks; each line safe to print. */
export const transcriptTail = (events: ReadonlyArray<StoredEvent>, maxLines: number): ReadonlyArray<string> => {
  const lines: Array<string> = []
  let open: { itemId: string; text: string } | undefined
  const close = () => {
    if (open !== undefined) lines.push(...agentLines(open.text))
    open = undefined
  }
  for (const stored of events) {
    if (stored.event._tag === "UserResponded") {
      close()
      lines.push(`you: ${stored.event.text}`)
      continue
    }
    if (stored.event._tag !== "SessionEvent") continue
    const worker = stored.event.event
    if (worker._tag === "TextDelta") {
      if (open?.itemId !== worker.itemId) close()
      open = { itemId: worker.itemId, text: (open?.itemId === worker.itemId ? open.text : "") + worker.text }
      continue
    }
    if (worker._tag === "Message") {
      if (open?.itemId === worker.itemId) open = undefined
      else close()
      lines.push(...agentLines(worker.text))
      continue
    }
    close()
    if (worker._tag === "CommandExecution" && worker.status !== "running") {
      lines.push(`$ ${worker.command}  (${worker.status}${worker.exitCode === null ? "" : `, exit ${worker.exitCode}`})`)
    } else if (worker._tag === "TurnCompleted") lines.push(`— turn ${worker.status}`)
    else if (worker._tag === "Crashed") lines.push(`! crashed: ${worker.reason}`)
  }
  close()
  return lines.slice(-maxLines).map(terminalLine)
}

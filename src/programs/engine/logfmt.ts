import type { StoredEvent } from "../../domain/events.js"
import type { DomainEvent } from "../../domain/events.js"
import { terminalLine } from "../../domain/terminalText.js"

// JSON quoting escapes C0 controls but lets C1 (an 8-bit CSI) through, and would keep an escape
// sequence's text: values are made one safe line first.
const quote = (raw: string): string => {
  const value = terminalLine(raw)
  return /^[A-Za-z0-9_.:/@+-]+$/.test(value) ? value : JSON.stringify(value)
}

/** `key=value` pairs, values made one safe line and quoted when they hold spaces or symbols; empty values left out. */
export const logfmt = (fields: ReadonlyArray<readonly [string, string | number | null | undefined]>): string =>
  fields
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${key}=${quote(String(value))}`)
    .join(" ")

const clip = (text: string, max = 160) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

/** The fields of a meaningful event, or undefined for chatter (deltas, chunks) that gets no line. */
export const describeForLog = (event: DomainEvent): ReadonlyArray<readonly [string, string | number | null]> | undefined => {
  switch (event._tag) {
    case "SessionEvent": {
      const worker = event.event
      switch (worker._tag) {
        case "TurnStarted":
          return [["turn", worker.turnId]]
        case "TurnCompleted":
          return [["turn", worker.turnId], ["status", worker.status], ["tokens", worker.usage?.total ?? null], ["error", worker.error]]
        case "CommandExecution":
          return worker.status === "running" ? undefined : [["command", clip(worker.command)], ["status", worker.status], ["exit", worker.exitCode]]
        case "Message":
          return [["text", clip(worker.text)]]
        case "FileChange":
          return [["files", worker.changes.map((c) => c.path).join(",")], ["status", worker.status]]
        case "NeedsInput":
          return [["request", worker.requestId], ["question", clip(worker.questions.map((q) => q.question).join(" / "))]]
        case "ApprovalRequested":
          return [["request", worker.requestId], ["kind", worker.kind], ["subject", clip(worker.subject)]]
        case "Blocked":
        case "Done":
        case "Crashed":
          return [["reason", clip(worker.reason)]]
        default:
          return undefined
      }
    }
    case "SessionStateChanged":
      return [["from", event.from], ["to", event.to], ["reason", clip(event.reason)]]
    case "WorkflowTransition":
      return [["from", event.from], ["to", event.to], ["reason", clip(event.reason)]]
    case "WorkItemCreated":
      return [["repo", event.repoPath]]
    case "WorktreeCreated":
      return [["path", event.path], ["branch", event.branch]]
    case "WorktreeRemoved":
      return [["path", event.path], ["saved", event.savedRef]]
    case "SessionSpawned":
      return [["harness", event.harness], ["worktree", event.worktreePath]]
    case "ArtifactCreated":
      return [["kind", event.kind], ["title", clip(event.title)], ["uri", event.uri]]
    case "PullRequestObserved":
      return [["pr", event.number], ["state", event.state], ["checks", event.checks], ["review", event.reviewDecision]]
    case "InboxItemCreated":
      return [["lane", event.lane], ["title", clip(event.title)]]
    case "TrackerUpdated":
      return [["action", event.action], ["detail", clip(event.detail)]]
    case "AgentInstructed":
      return [["reason", event.reason], ["attempt", event.attempt]]
    default:
      return undefined
  }
}

/** One logfmt line for a stored event, or undefined when it is not worth a line. */
export const logLine = (stored: StoredEvent, ids: { readonly ticket: string | null; readonly workItem: string | null }): string | undefined => {
  const fields = describeForLog(stored.event)
  if (fields === undefined) return undefined
  const event = stored.event
  const tag = event._tag === "SessionEvent" ? event.event._tag : event._tag
  const session = "sessionId" in event ? event.sessionId : null
  return logfmt([
    ["time", new Date(stored.at).toISOString()],
    ["event", tag],
    ["ticket", ids.ticket],
    ["work_item", ids.workItem],
    ["session", session],
    ...fields
  ])
}

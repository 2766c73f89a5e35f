import type { BusDelivery } from "../../domain/bus.js"
import type { DomainEvent } from "../../domain/events.js"
import type { WorkerEvent } from "../../domain/workerEvent.js"
import type { FocusedSession, PendingRequest, TranscriptBlock } from "./viewModel.js"

/** Characters one transcript block keeps (a long command output keeps its tail). */
const MAX_BLOCK_CHARS = 16_000
const MAX_CHANGED_FILES = 200

/**
 * The marker where the UI's bus buffer dropped events. Written here, not imported from domain/bus
 * (which holds Schema classes and would bring Effect in); a test keeps the two the same.
 */
export const skippedText = (count: number): string => `${count} ${count === 1 ? "event" : "events"} skipped`

const clip = (text: string): string => (text.length > MAX_BLOCK_CHARS ? text.slice(text.length - MAX_BLOCK_CHARS) : text)

/** A mutable working copy of one focused session, made once per batch of events. */
interface Draft {
  blocks: Array<TranscriptBlock>
  index: Map<string, number>
  pending: Array<PendingRequest>
  files: Array<string>
  filesTouched: boolean
  state: string
  turnActive: boolean
  counter: number
}

const draftOf = (focused: FocusedSession): Draft => ({
  blocks: [...focused.blocks],
  index: new Map(focused.blocks.map((b, i) => [b.id, i])),
  pending: [...focused.pending],
  files: [...focused.side.changedFiles],
  filesTouched: false,
  state: focused.state,
  turnActive: focused.turnActive,
  counter: focused.blocks.length
})

const put = (draft: Draft, block: TranscriptBlock) => {
  const at = draft.index.get(block.id)
  if (at !== undefined) draft.blocks[at] = block
  else {
    draft.index.set(block.id, draft.blocks.length)
    draft.blocks.push(block)
  }
}

const append = (draft: Draft, id: string, kind: TranscriptBlock["kind"], text: string) => {
  const at = draft.index.get(id)
  const previous = at === undefined ? undefined : draft.blocks[at]
  put(draft, { id, kind, text: clip((previous?.text ?? "") + text) })
}

const note = (draft: Draft, kind: TranscriptBlock["kind"], text: string) => {
  do draft.counter += 1
  while (draft.index.has(`n${draft.counter}`))
  put(draft, { id: `n${draft.counter}`, kind, text })
}

const worker = (draft: Draft, event: WorkerEvent) => {
  switch (event._tag) {
    case "TextDelta":
      return append(draft, `m:${event.itemId}`, "message", event.text)
    case "Message":
      return put(draft, { id: `m:${event.itemId}`, kind: "message", text: clip(event.text) })
    case "ReasoningDelta":
      return append(draft, `r:${event.itemId}`, "reasoning", event.text)
    case "Reasoning":
      return put(draft, { id: `r:${event.itemId}`, kind: "reasoning", text: clip(event.text) })
    case "CommandExecution": {
      const status = event.status === "running" ? "" : event.exitCode !== null ? `  (exit ${event.exitCode})` : `  (${event.status})`
      return put(draft, { id: `c:${event.itemId}`, kind: "command", text: clip(`${event.command}${status}${event.output === "" ? "" : `\n${event.output.trimEnd()}`}`) })
    }
    case "CommandOutputDelta":
      return append(draft, `c:${event.itemId}`, "command", event.text)
    case "FileChange": {
      for (const change of event.changes) {
        if (draft.files.includes(change.path)) continue
        draft.files.push(change.path)
        draft.filesTouched = true
      }
      if (draft.files.length > MAX_CHANGED_FILES) draft.files.splice(0, draft.files.length - MAX_CHANGED_FILES)
      const lines = event.changes.map((c) => `${c.kind} ${c.path}`)
      return put(draft, { id: `f:${event.itemId}`, kind: "fileChange", text: `${event.changes.length} file(s) ${event.status}\n${lines.join("\n")}` })
    }
    case "PlanUpdated": {
      // One checklist, replaced by each update and moved to the newest place: it ticks in view as the agent reports steps done.
      const at = draft.index.get("plan")
      if (at !== undefined && at !== draft.blocks.length - 1) {
        draft.blocks.splice(at, 1)
        draft.index = new Map(draft.blocks.map((b, i) => [b.id, i]))
      }
      const done = event.steps.filter((s) => s.status === "completed").length
      return put(draft, {
        id: "plan",
        kind: "plan",
        text: `plan · ${done} of ${event.steps.length} done\n${event.steps.map((s) => `${s.status === "completed" ? "[x]" : s.status === "in_progress" ? "[>]" : "[ ]"} ${s.step}`).join("\n")}`
      })
    }
    case "Checkpoint":
      return note(draft, "system", `checkpoint: ${event.summary}`)
    case "NeedsInput":
      draft.pending.push({
        _tag: "Input",
        requestId: event.requestId,
        questions: event.questions.map((q) => ({ id: q.id, question: q.question, options: q.options.map((o) => o.label) }))
      })
      return note(draft, "system", `question: ${event.questions.map((q) => q.question).join(" / ")}`)
    case "ApprovalRequested":
      draft.pending.push({ _tag: "Approval", requestId: event.requestId, kind: event.kind, subject: event.subject, reason: event.reason })
      return note(draft, "system", `approval requested: ${event.subject}`)
    case "Blocked":
      return note(draft, "system", `blocked: ${event.reason}`)
    case "WorkerArtifact":
      return note(draft, "system", `${event.kind}: ${event.title}${event.uri === null ? "" : ` ${event.uri}`}`)
    case "TurnStarted":
      draft.turnActive = true
      return
    case "TurnCompleted":
      draft.turnActive = false
      return event.status === "completed" ? undefined : note(draft, "system", `turn ${event.status}${event.error === null ? "" : `: ${event.error}`}`)
    case "Done":
      draft.turnActive = false
      return note(draft, "system", `done: ${event.reason}`)
    case "Crashed":
      draft.turnActive = false
      return note(draft, "system", `crashed: ${event.reason}`)
  }
}

const domain = (draft: Draft, event: DomainEvent) => {
  switch (event._tag) {
    case "SessionEvent":
      return worker(draft, event.event)
    case "SessionStateChanged":
      draft.state = event.to
      return
    case "UserResponded":
      if (event.requestId !== null) draft.pending = draft.pending.filter((p) => p.requestId !== event.requestId)
      if (event.kind === "message" || event.kind === "steer") return note(draft, "user", event.text)
      if (event.kind === "answer" || event.kind === "approval") return note(draft, "user", `${event.kind}: ${event.text}`)
      return note(draft, "system", event.kind)
    case "AgentInstructed":
      return note(draft, "system", `orchestrator (${event.reason}): ${event.text}`)
    default:
      return
  }
}

/** Folds a batch of the focused session's deliveries into its transcript, keeping at most `limit` blocks. */
export const foldFocused = (focused: FocusedSession, deliveries: ReadonlyArray<BusDelivery>, limit: number): FocusedSession => {
  const draft = draftOf(focused)
  for (const delivery of deliveries) {
    if (delivery._tag === "Skipped") note(draft, "skipped", skippedText(delivery.count))
    else domain(draft, delivery.envelope.event)
  }
  const blocks = draft.blocks.length > limit ? draft.blocks.slice(draft.blocks.length - limit) : draft.blocks
  return {
    ...focused,
    blocks,
    pending: draft.pending,
    state: draft.state,
    turnActive: draft.turnActive,
    // Unchanged side data keeps its identity, so the side panel does not re-render.
    side: draft.filesTouched ? { ...focused.side, changedFiles: draft.files } : focused.side
  }
}

export const eventsAsDeliveries = (events: ReadonlyArray<DomainEvent>): ReadonlyArray<BusDelivery> =>
  events.map((event) => ({ _tag: "Event", envelope: { sessionId: null, event } }))

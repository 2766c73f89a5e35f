import type { TokenUsage, WorkerEvent } from "../../../domain/workerEvent.js"
import type { ErrorInfo, OpenCodeEvent, Part } from "./wire.js"

/**
 * Turns one OpenCode session's events into normalized worker events. OpenCode has no turn ids:
 * a turn is ours, from `prompt_async` to the `session.idle` that follows a `busy`.
 */

interface Turn {
  readonly id: string
  busySeen: boolean
  /** Idle arrived while an agent message was still open: the turn ends when it closes. */
  idleSeen: boolean
  error: string | null
  aborted: boolean
}

interface ToolProgress {
  /** The command, once it started; kept to close it out when the turn ends under it. */
  command: string | null
  started: boolean
  outputLength: number
  finished: boolean
}

const fileTools: Readonly<Record<string, "add" | "update">> = { write: "add", edit: "update", multiedit: "update" }

const errorText = (error: ErrorInfo): string => error.data?.message ?? error.name

const stringField = (record: Readonly<Record<string, unknown>> | undefined, key: string): string | undefined => {
  const value = record?.[key]
  return typeof value === "string" ? value : undefined
}

const planStatus = (status: string): "pending" | "in_progress" | "completed" =>
  status === "in_progress" ? "in_progress" : status === "completed" || status === "cancelled" ? "completed" : "pending"

export class SessionTranslator {
  private turnCount = 0
  private turn: Turn | null = null
  private readonly roles = new Map<string, string>()
  /** Agent messages not yet completed; OpenCode drops a prompt sent before they close. */
  private readonly openMessages = new Set<string>()
  private readonly partTypes = new Map<string, string>()
  private readonly finishedParts = new Set<string>()
  private readonly tools = new Map<string, ToolProgress>()
  private readonly declinedCalls = new Set<string>()
  private readonly permissionCalls = new Map<string, string>()
  private usage: TokenUsage

  constructor(
    private readonly cwd: string,
    initialUsage: TokenUsage = { input: 0, output: 0, total: 0 }
  ) {
    this.usage = initialUsage
  }

  get turnActive(): boolean {
    return this.turn !== null
  }

  /** A new input: a TurnStarted when idle, nothing when it joins the running turn. */
  beginTurn(): ReadonlyArray<WorkerEvent> {
    if (this.turn !== null) return []
    this.turnCount += 1
    this.turn = { id: `turn-${this.turnCount}`, busySeen: false, idleSeen: false, error: null, aborted: false }
    return [{ _tag: "TurnStarted", turnId: this.turn.id }]
  }

  /** The prompt was refused: the turn never ran. */
  failTurn(reason: string): ReadonlyArray<WorkerEvent> {
    return this.completeTurn("failed", reason)
  }

  /** After a reconnect: the server says the session is not busy, so an idle may have been missed. */
  settleIfIdle(): ReadonlyArray<WorkerEvent> {
    return this.turn?.busySeen === true ? this.finishTurn() : []
  }

  translate(event: OpenCodeEvent): ReadonlyArray<WorkerEvent> {
    switch (event.type) {
      case "message.updated": {
        const info = event.properties.info
        this.roles.set(info.id, info.role)
        if (info.role !== "assistant") return []
        if (info.time?.completed === undefined) {
          this.openMessages.add(info.id)
          return []
        }
        this.openMessages.delete(info.id)
        return this.turn?.idleSeen === true && this.openMessages.size === 0 ? this.finishTurn() : []
      }
      case "message.part.updated":
        return this.part(event.properties.part)
      case "message.part.delta": {
        const { partID, field, delta } = event.properties
        if (field !== "text" || delta === "") return []
        const kind = this.partTypes.get(partID)
        if (kind === "reasoning") return [{ _tag: "ReasoningDelta", itemId: partID, text: delta }]
        return kind === "text" ? [{ _tag: "TextDelta", itemId: partID, text: delta }] : []
      }
      case "permission.asked": {
        const { id, permission, patterns, metadata, tool } = event.properties
        if (tool !== undefined) this.permissionCalls.set(id, tool.callID)
        const kind = permission === "bash" ? "command" : permission === "edit" ? "fileChange" : "permission"
        const subject = stringField(metadata, "command") ?? `${permission} ${patterns.join(" ")}`.trim()
        return [{ _tag: "ApprovalRequested", requestId: id, kind, subject, cwd: this.cwd, reason: null }]
      }
      case "permission.replied": {
        const callId = this.permissionCalls.get(event.properties.requestID)
        if (callId !== undefined && event.properties.reply === "reject") this.declinedCalls.add(callId)
        return []
      }
      case "question.asked":
        return [
          {
            _tag: "NeedsInput",
            requestId: event.properties.id,
            questions: event.properties.questions.map((q, index) => ({
              id: String(index),
              question: q.question,
              options: q.options.map((o) => ({ label: o.label, description: o.description ?? null }))
            }))
          }
        ]
      case "todo.updated":
        return [
          {
            _tag: "PlanUpdated",
            steps: event.properties.todos.map((todo) => ({ step: todo.content, status: planStatus(todo.status) }))
          }
        ]
      case "session.status":
        if (event.properties.status.type !== "idle" && this.turn !== null) this.turn.busySeen = true
        return []
      case "session.idle":
        // A stray second idle (OpenCode sends one after an abort) must not end the next turn.
        if (this.turn?.busySeen !== true) return []
        if (this.openMessages.size > 0) {
          this.turn.idleSeen = true
          return []
        }
        return this.finishTurn()
      case "session.error": {
        const error = event.properties.error
        if (this.turn === null || error === undefined) return []
        if (error.name === "MessageAbortedError") this.turn.aborted = true
        else this.turn.error = errorText(error)
        return []
      }
      default:
        return []
    }
  }

  private finishTurn(): ReadonlyArray<WorkerEvent> {
    const turn = this.turn
    if (turn === null) return []
    if (turn.aborted) return this.completeTurn("interrupted", turn.error)
    return turn.error === null ? this.completeTurn("completed", null) : this.completeTurn("failed", turn.error)
  }

  private completeTurn(status: "completed" | "interrupted" | "failed", error: string | null): ReadonlyArray<WorkerEvent> {
    const turn = this.turn
    if (turn === null) return []
    this.turn = null
    return [...this.closeRunningCommands(), { _tag: "TurnCompleted", turnId: turn.id, status, usage: { ...this.usage }, error }]
  }

  /** OpenCode reports an aborted tool only after the idle: a turn's commands end with the turn. */
  private closeRunningCommands(): ReadonlyArray<WorkerEvent> {
    const closed: Array<WorkerEvent> = []
    for (const [itemId, progress] of this.tools) {
      if (!progress.started || progress.finished || progress.command === null) continue
      progress.finished = true
      closed.push({ _tag: "CommandExecution", itemId, command: progress.command, cwd: this.cwd, status: "failed", output: "", exitCode: null })
    }
    return closed
  }

  private part(part: Part): ReadonlyArray<WorkerEvent> {
    this.partTypes.set(part.id, part.type)
    switch (part.type) {
      case "text":
      case "reasoning": {
        const ended = part.time?.end !== undefined
        const fromAgent = this.roles.get(part.messageID) !== "user" && part.synthetic !== true
        if (!ended || !fromAgent || this.finishedParts.has(part.id)) return []
        this.finishedParts.add(part.id)
        const text = part.text ?? ""
        return [{ _tag: part.type === "text" ? "Message" : "Reasoning", itemId: part.id, text }]
      }
      case "tool":
        return this.tool(part)
      case "step-finish": {
        if (part.tokens === undefined || this.finishedParts.has(part.id)) return []
        this.finishedParts.add(part.id)
        const { input, output, reasoning } = part.tokens
        this.usage = {
          input: this.usage.input + input,
          output: this.usage.output + output,
          total: this.usage.total + input + output + reasoning
        }
        return []
      }
      default:
        return []
    }
  }

  private tool(part: Part): ReadonlyArray<WorkerEvent> {
    const state = part.state
    if (state === undefined) return []
    const progress = this.tools.get(part.id) ?? { command: null, started: false, outputLength: 0, finished: false }
    this.tools.set(part.id, progress)
    if (progress.finished) return []
    if (part.tool === "bash") return this.command(part, state, progress)
    const kind = part.tool === undefined ? undefined : fileTools[part.tool]
    const path = stringField(state.input, "filePath")
    if (kind === undefined || path === undefined || (state.status !== "completed" && state.status !== "error")) return []
    progress.finished = true
    const declined = part.callID !== undefined && this.declinedCalls.has(part.callID)
    const status = state.status === "completed" ? "applied" : declined ? "declined" : "failed"
    return [{ _tag: "FileChange", itemId: part.id, status, changes: [{ path, kind }] }]
  }

  private command(part: Part, state: NonNullable<Part["state"]>, progress: ToolProgress): ReadonlyArray<WorkerEvent> {
    const command = stringField(state.input, "command")
    if (command === undefined) return []
    const events: Array<WorkerEvent> = []
    const base = { _tag: "CommandExecution", itemId: part.id, command, cwd: this.cwd } as const
    if (!progress.started) {
      progress.started = true
      progress.command = command
      events.push({ ...base, status: "running", output: "", exitCode: null })
    }
    if (state.status === "running") {
      const output = stringField(state.metadata, "output") ?? ""
      if (output.length > progress.outputLength) {
        events.push({ _tag: "CommandOutputDelta", itemId: part.id, text: output.slice(progress.outputLength) })
        progress.outputLength = output.length
      }
      return events
    }
    if (state.status === "completed") {
      progress.finished = true
      const exit = state.metadata?.["exit"]
      const exitCode = typeof exit === "number" ? exit : null
      // An aborted command is reported "completed" without an exit code: only exit 0 is success.
      const status = exitCode === 0 ? "completed" : "failed"
      events.push({ ...base, status, output: state.output ?? "", exitCode })
    } else if (state.status === "error") {
      progress.finished = true
      const declined = part.callID !== undefined && this.declinedCalls.has(part.callID)
      events.push({ ...base, status: declined ? "declined" : "failed", output: state.error ?? "", exitCode: null })
    }
    return events
  }
}

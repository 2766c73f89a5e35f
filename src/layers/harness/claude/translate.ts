import * as NodePath from "node:path"
import type { FileChangeKind, PlanStepStatus, TokenUsage, WorkerEvent } from "../../../domain/workerEvent.js"
import type { AssistantBlock, OutputLine } from "./protocol.js"

type Line<T extends OutputLine["_tag"]> = Extract<OutputLine, { _tag: T }>
type Input = Readonly<Record<string, unknown>>

/** Claude Code's tools that change files, and the input field naming the file. */
const fileTools: Readonly<Record<string, string>> = { Write: "file_path", Edit: "file_path", MultiEdit: "file_path", NotebookEdit: "notebook_path" }

const stringField = (input: Input, key: string): string | null => (typeof input[key] === "string" ? input[key] : null)

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

/** A path inside the worktree is shown relative to it, as the other harnesses do. */
const shownPath = (cwd: string, path: string) => {
  const relative = NodePath.relative(cwd, path)
  return relative !== "" && !relative.startsWith("..") && !NodePath.isAbsolute(relative) ? relative : path
}

const planStatus = (status: unknown): typeof PlanStepStatus.Type =>
  status === "completed" ? "completed" : status === "in_progress" ? "in_progress" : "pending"

/** `TodoWrite`'s list, as plan steps. */
const planSteps = (input: Input) =>
  (Array.isArray(input["todos"]) ? input["todos"] : []).filter(isRecord).map((todo) => ({
    step: typeof todo["content"] === "string" ? todo["content"] : "",
    status: planStatus(todo["status"])
  }))

const resultText = (content: unknown): string => {
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return ""
  return content.map((part: unknown) => (isRecord(part) && typeof part["text"] === "string" ? part["text"] : "")).join("")
}

// A failed Bash result starts "Exit code N" (see docs/protocols/claude-code.md).
const exitCodeLine = /^Exit code (\d+)\n?/

interface OpenTool {
  readonly name: string
  readonly input: Input
}

/** Sums one turn's `result.usage` into the session's totals. */
export const addUsage = (total: TokenUsage | null, usage: Line<"result">["usage"]): TokenUsage | null => {
  if (usage === undefined) return total
  const input = usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0)
  const before = total ?? { input: 0, output: 0, total: 0 }
  return { input: before.input + input, output: before.output + usage.output_tokens, total: before.total + input + usage.output_tokens }
}

/**
 * Turns Claude Code's assistant and user lines into worker events: text and thinking (streamed
 * deltas, then the whole block), Bash calls as commands, file tools as file changes, TodoWrite as
 * the plan. Tool calls of subagents (`parent_tool_use_id` set) are not shown. Stateful: a tool's
 * result is matched to its call by id.
 */
export const makeTranslator = (cwd: string) => {
  const open = new Map<string, OpenTool>()
  // Which block of an assistant message a line holds: the CLI emits one line per content block.
  const blocksSeen = new Map<string, number>()
  let streaming = ""

  const toolStarted = (id: string, name: string, input: Input): ReadonlyArray<WorkerEvent> => {
    if (name === "Bash") {
      open.set(id, { name, input })
      return [{ _tag: "CommandExecution", itemId: id, command: stringField(input, "command") ?? "", cwd, status: "running", output: "", exitCode: null }]
    }
    const pathKey = fileTools[name]
    if (pathKey !== undefined) {
      open.set(id, { name, input })
      const path = stringField(input, pathKey) ?? "(unknown file)"
      const kind: typeof FileChangeKind.Type = name === "Write" ? "add" : "update"
      return [{ _tag: "FileChange", itemId: id, status: "proposed", changes: [{ path: shownPath(cwd, path), kind }] }]
    }
    if (name === "TodoWrite") return [{ _tag: "PlanUpdated", steps: planSteps(input) }]
    return []
  }

  const assistantBlock = (messageId: string, block: AssistantBlock): ReadonlyArray<WorkerEvent> => {
    const index = blocksSeen.get(messageId) ?? 0
    blocksSeen.set(messageId, index + 1)
    const itemId = `${messageId}:${index}`
    if ("text" in block) return block.text === "" ? [] : [{ _tag: "Message", itemId, text: block.text }]
    if ("thinking" in block) return block.thinking === "" ? [] : [{ _tag: "Reasoning", itemId, text: block.thinking }]
    if ("input" in block) return toolStarted(block.id, block.name, block.input)
    return []
  }

  const toolFinished = (line: Line<"user">, toolUseId: string, content: unknown, isError: boolean): ReadonlyArray<WorkerEvent> => {
    const tool = open.get(toolUseId)
    if (tool === undefined) return []
    open.delete(toolUseId)
    const meta = line.tool_result_meta?.find((entry) => entry.id === toolUseId)
    const declined = meta?.permission_decision?.decision === "reject"
    if (tool.name === "Bash") {
      const text = resultText(content)
      const code = exitCodeLine.exec(text)
      const interrupted = isRecord(line.tool_use_result) && line.tool_use_result["interrupted"] === true
      return [{
        _tag: "CommandExecution",
        itemId: toolUseId,
        command: stringField(tool.input, "command") ?? "",
        cwd,
        status: declined ? "declined" : isError || interrupted ? "failed" : "completed",
        output: code === null ? text : text.slice(code[0].length),
        exitCode: declined ? null : code !== null ? Number(code[1]) : isError ? null : 0
      }]
    }
    const pathKey = fileTools[tool.name] ?? "file_path"
    const path = shownPath(cwd, stringField(tool.input, pathKey) ?? "(unknown file)")
    // Write reports whether it created the file or replaced it.
    const created = isRecord(line.tool_use_result) ? line.tool_use_result["type"] !== "update" : true
    const kind: typeof FileChangeKind.Type = tool.name === "Write" && created ? "add" : "update"
    return [{ _tag: "FileChange", itemId: toolUseId, status: declined ? "declined" : isError ? "failed" : "applied", changes: [{ path, kind }] }]
  }

  const translate = (line: OutputLine): ReadonlyArray<WorkerEvent> => {
    switch (line._tag) {
      case "stream_event": {
        if (line.parent_tool_use_id) return []
        const event = line.event
        if ("message" in event) streaming = event.message.id
        if (!("delta" in event)) return []
        const itemId = `${streaming}:${event.index}`
        if ("text" in event.delta) return [{ _tag: "TextDelta", itemId, text: event.delta.text }]
        if ("thinking" in event.delta) return [{ _tag: "ReasoningDelta", itemId, text: event.delta.thinking }]
        return []
      }
      case "assistant":
        // The CLI's own words (an API error) reach the person through the turn's error instead.
        if (line.parent_tool_use_id || line.message.model === "<synthetic>") return []
        return line.message.content.flatMap((block) => assistantBlock(line.message.id, block))
      case "user": {
        if (line.parent_tool_use_id || typeof line.message.content === "string") return []
        return line.message.content.flatMap((block) =>
          "tool_use_id" in block ? toolFinished(line, block.tool_use_id, block.content, block.is_error === true) : []
        )
      }
      default:
        return []
    }
  }

  /** Tool calls still open when a turn ends without their results (an interrupt, a crash). */
  const closeOpen = (status: "failed" | "declined"): ReadonlyArray<WorkerEvent> => {
    const events = [...open.entries()].map(([id, tool]): WorkerEvent =>
      tool.name === "Bash"
        ? { _tag: "CommandExecution", itemId: id, command: stringField(tool.input, "command") ?? "", cwd, status, output: "", exitCode: null }
        : { _tag: "FileChange", itemId: id, status, changes: [{ path: shownPath(cwd, stringField(tool.input, fileTools[tool.name] ?? "file_path") ?? ""), kind: "update" }] }
    )
    open.clear()
    return events
  }

  return { translate, closeOpen }
}

import { pieces } from "./responsesScript.js"

/**
 * What the scripted Anthropic Messages server answers: one turn per model request, in order.
 * Claude Code calls the model again after each tool result, so "run a command, then say done"
 * is two turns.
 */
export type MessagesBlock =
  /** Assistant text, streamed as a few `text_delta`s. */
  | { readonly kind: "text"; readonly text: string }
  /** Extended thinking, one `thinking_delta` plus a `signature_delta`. */
  | { readonly kind: "thinking"; readonly text: string }
  /** A tool call (`Bash`, `Write`, `TodoWrite`, `AskUserQuestion`, ...), its input as one `input_json_delta`. */
  | { readonly kind: "tool"; readonly name: string; readonly input: Readonly<Record<string, unknown>> }

export type MessagesTurn =
  /** `delayMs` waits before each SSE event: a slow stream. */
  | { readonly kind: "output"; readonly blocks: ReadonlyArray<MessagesBlock>; readonly delayMs?: number }
  /**
   * An HTTP error with an Anthropic-shaped body. Claude Code retries some errors itself; a retry
   * carries the same conversation, so it gets the same error (see messagesServer.ts).
   */
  | { readonly kind: "httpError"; readonly status: number; readonly message: string }

export const text = (answer: string): MessagesTurn => ({ kind: "output", blocks: [{ kind: "text", text: answer }] })
export const tool = (name: string, input: Readonly<Record<string, unknown>>, delayMs?: number): MessagesTurn => ({
  kind: "output",
  blocks: [{ kind: "tool", name, input }],
  ...(delayMs === undefined ? {} : { delayMs })
})
export const bash = (command: string): MessagesTurn => tool("Bash", { command, description: "run a command" })
export const httpError = (status: number, message: string): MessagesTurn => ({ kind: "httpError", status, message })

/** Usage reported by every scripted answer; Claude Code adds a turn's requests up in its `result`. */
export const usagePerMessage = { input: 100, output: 20, total: 120 } as const

// Named SSE events with the type repeated in the data, as the Messages API streams them.
const event = (type: string, body: Record<string, unknown>): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`

const blockEvents = (block: MessagesBlock, index: number, id: string): ReadonlyArray<string> => {
  const stop = event("content_block_stop", { index })
  switch (block.kind) {
    case "text":
      return [
        event("content_block_start", { index, content_block: { type: "text", text: "" } }),
        ...pieces(block.text).map((piece) => event("content_block_delta", { index, delta: { type: "text_delta", text: piece } })),
        stop
      ]
    case "thinking":
      return [
        event("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } }),
        event("content_block_delta", { index, delta: { type: "thinking_delta", thinking: block.text } }),
        event("content_block_delta", { index, delta: { type: "signature_delta", signature: `sig_${id}` } }),
        stop
      ]
    case "tool":
      return [
        event("content_block_start", { index, content_block: { type: "tool_use", id: `toolu_${id}_${index}`, name: block.name, input: {} } }),
        event("content_block_delta", { index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } }),
        stop
      ]
  }
}

/** The SSE events of one answer, `message_start` to `message_stop`, as the Messages API streams them. */
export const messageEvents = (blocks: ReadonlyArray<MessagesBlock>, messageNo: number, model: string): ReadonlyArray<string> => {
  const id = `msg_${messageNo}`
  const usesTool = blocks.some((block) => block.kind === "tool")
  return [
    event("message_start", {
      message: {
        id,
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: usagePerMessage.input, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }
      }
    }),
    ...blocks.flatMap((block, index) => blockEvents(block, index, String(messageNo))),
    event("message_delta", {
      delta: { stop_reason: usesTool ? "tool_use" : "end_turn", stop_sequence: null },
      usage: { output_tokens: usagePerMessage.output }
    }),
    event("message_stop", {})
  ]
}

/** An Anthropic error body; `x-should-retry: false` asks the client's SDK not to retry. */
export const errorBody = (message: string) => JSON.stringify({ type: "error", error: { type: "invalid_request_error", message } })

/**
 * What the scripted Responses-API server answers: one turn per model request, in order. A turn
 * is either a list of output items or a failure. Codex calls the model again after each tool call,
 * so "run a command, then say done" is two turns.
 */
export type ResponsesItem =
  /** An assistant message, streamed as a few `output_text` deltas. */
  | { readonly kind: "message"; readonly text: string }
  /** A call of Codex's `exec_command` tool (0.169 offers it instead of `shell`). */
  | { readonly kind: "exec"; readonly cmd: string }

export type ResponsesTurn =
  /** `delayMs` waits before each SSE event: a slow stream. */
  | { readonly kind: "output"; readonly items: ReadonlyArray<ResponsesItem>; readonly delayMs?: number }
  /** HTTP error with an OpenAI-shaped error body carrying `message`. */
  | { readonly kind: "httpError"; readonly status: number; readonly message: string }
  /** Starts answering `text`, then destroys the socket before `response.completed`. */
  | { readonly kind: "cut"; readonly text: string }

export const message = (text: string): ResponsesTurn => ({ kind: "output", items: [{ kind: "message", text }] })
export const exec = (cmd: string, delayMs?: number): ResponsesTurn => ({
  kind: "output",
  items: [{ kind: "exec", cmd }],
  ...(delayMs === undefined ? {} : { delayMs })
})

/** Usage reported by every scripted response; Codex adds them up into the thread's total. */
export const usagePerResponse = { input: 100, output: 20, total: 120 } as const

const usage = {
  input_tokens: usagePerResponse.input,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: usagePerResponse.output,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: usagePerResponse.total
}

const event = (type: string, body: Record<string, unknown>): string =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`

/** Splits text into at most three pieces so the client sees several deltas. */
export const pieces = (text: string): ReadonlyArray<string> => {
  const size = Math.max(1, Math.ceil(text.length / 3))
  const out: Array<string> = []
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size))
  return out
}

const itemEvents = (item: ResponsesItem, id: string): ReadonlyArray<string> => {
  if (item.kind === "exec") {
    const call = { type: "function_call", id: `fc_${id}`, call_id: `call_${id}`, name: "exec_command", arguments: JSON.stringify({ cmd: item.cmd }) }
    return [event("response.output_item.added", { item: { ...call, arguments: "" } }), event("response.output_item.done", { item: call })]
  }
  const itemId = `msg_${id}`
  const done = { type: "message", id: itemId, role: "assistant", status: "completed", content: [{ type: "output_text", text: item.text, annotations: [] }] }
  return [
    event("response.output_item.added", { item: { ...done, status: "in_progress", content: [] } }),
    ...pieces(item.text).map((delta) => event("response.output_text.delta", { item_id: itemId, output_index: 0, content_index: 0, delta })),
    event("response.output_item.done", { item: done })
  ]
}

/** The SSE events for one answer, `response.completed` included. */
export const responseEvents = (items: ReadonlyArray<ResponsesItem>, responseNo: number): ReadonlyArray<string> => {
  const id = `resp_${responseNo}`
  return [
    event("response.created", { response: { id, status: "in_progress" } }),
    ...items.flatMap((item, index) => itemEvents(item, `${responseNo}_${index}`)),
    event("response.completed", { response: { id, status: "completed", usage } })
  ]
}

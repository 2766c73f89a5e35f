/**
 * What the scripted chat-completions server answers, one step per model request, in order.
 * When the script runs out the server answers with `fallback` so a stray extra request
 * (a retry, a title) never hangs a test.
 */
export type ChatStep =
  /** The model asks for the `bash` tool with this command. */
  | { readonly kind: "bash"; readonly command: string; readonly delayMs?: number }
  /** The model answers with a message, streamed in a few chunks. */
  | { readonly kind: "text"; readonly text: string; readonly delayMs?: number }
  /** HTTP error with an OpenAI-shaped error body. */
  | { readonly kind: "httpError"; readonly status: number; readonly message: string }
  /** Starts answering `text`, then destroys the socket before `[DONE]`. */
  | { readonly kind: "cut"; readonly text: string }

export const usage = { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } as const

interface Chunk {
  readonly delta: Record<string, unknown>
  readonly finish: string | null
}

const frame = (id: string, model: string, chunk: Chunk, withUsage: boolean): string =>
  `data: ${JSON.stringify({
    id,
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta: chunk.delta, finish_reason: chunk.finish }],
    ...(withUsage ? { usage } : {})
  })}\n\n`

/** Splits text into at most three pieces so the client sees several deltas. */
const pieces = (text: string): ReadonlyArray<string> => {
  const third = Math.max(1, Math.ceil(text.length / 3))
  const out: Array<string> = []
  for (let i = 0; i < text.length; i += third) out.push(text.slice(i, i + third))
  return out
}

/** The SSE frames for a streaming step (bash or text), `[DONE]` included. */
export const framesFor = (step: ChatStep & { kind: "bash" | "text" | "cut" }, id: string, model: string, callNo: number): ReadonlyArray<string> => {
  const chunks: Array<Chunk> = [{ delta: { role: "assistant", content: "" }, finish: null }]
  if (step.kind === "bash") {
    const args = JSON.stringify({ command: step.command, description: "Run a command" })
    chunks.push({
      delta: {
        tool_calls: [{ index: 0, id: `call_${callNo}`, type: "function", function: { name: "bash", arguments: "" } }]
      },
      finish: null
    })
    for (const part of pieces(args)) chunks.push({ delta: { tool_calls: [{ index: 0, function: { arguments: part } }] }, finish: null })
    chunks.push({ delta: {}, finish: "tool_calls" })
  } else {
    for (const part of pieces(step.text)) chunks.push({ delta: { content: part }, finish: null })
    chunks.push({ delta: {}, finish: "stop" })
  }
  const frames = chunks.map((chunk, index) => frame(id, model, chunk, index === chunks.length - 1))
  return [...frames, "data: [DONE]\n\n"]
}

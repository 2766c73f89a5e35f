/**
 * Bodies in the exact shapes of the Responses API as OpenRouter serves it (PROTOCOLS.md,
 * "OpenRouter through @effect/ai-openai 0.41"): full response objects and SSE stream events.
 */

export type OutputItem =
  | { readonly type: "message"; readonly text: string }
  | { readonly type: "function_call"; readonly callId: string; readonly name: string; readonly arguments: string }

const usage = { input_tokens: 42, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 49 }

const itemJson = (item: OutputItem, index: number, status: "in_progress" | "completed") =>
  item.type === "message"
    ? {
        type: "message",
        id: `msg_${index}`,
        status,
        role: "assistant",
        content: status === "completed" ? [{ type: "output_text", text: item.text, annotations: [] }] : []
      }
    : {
        type: "function_call",
        id: `fc_${index}`,
        call_id: item.callId,
        name: item.name,
        arguments: status === "completed" ? item.arguments : "",
        status
      }

export const responseObject = (id: string, model: string, items: ReadonlyArray<OutputItem>, status: "in_progress" | "completed") => ({
  id,
  object: "response",
  created_at: 1_760_000_000,
  status,
  model,
  output: status === "completed" ? items.map((item, i) => itemJson(item, i, "completed")) : [],
  usage: status === "completed" ? usage : null,
  error: null,
  incomplete_details: null,
  instructions: null,
  parallel_tool_calls: true,
  tool_choice: "auto",
  tools: [],
  metadata: {},
  temperature: 1,
  top_p: 1
})

/** SSE frames of a streamed response: created, items with text deltas in `pieces`, completed. */
export const streamFrames = (id: string, model: string, items: ReadonlyArray<OutputItem>, pieces: number): ReadonlyArray<string> => {
  const events: Array<Record<string, unknown>> = [{ type: "response.created", response: responseObject(id, model, items, "in_progress") }]
  items.forEach((item, index) => {
    events.push({ type: "response.output_item.added", output_index: index, item: itemJson(item, index, "in_progress") })
    if (item.type === "message") {
      const size = Math.max(1, Math.ceil(item.text.length / pieces))
      for (let at = 0; at < item.text.length; at += size) {
        events.push({
          type: "response.output_text.delta",
          item_id: `msg_${index}`,
          output_index: index,
          content_index: 0,
          delta: item.text.slice(at, at + size),
          logprobs: []
        })
      }
    } else {
      events.push({ type: "response.function_call_arguments.delta", item_id: `fc_${index}`, output_index: index, delta: item.arguments })
    }
    events.push({ type: "response.output_item.done", output_index: index, item: itemJson(item, index, "completed") })
  })
  events.push({ type: "response.completed", response: responseObject(id, model, items, "completed") })
  return events.map((event, sequence) => `event: ${String(event["type"])}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`)
}

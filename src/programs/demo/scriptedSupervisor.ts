import { Effect } from "effect"
import * as Http from "node:http"

/**
 * The offline demo's supervisor model: an OpenRouter-shaped server on 127.0.0.1 (the Responses API,
 * `POST /api/v1/responses`, streamed as SSE when asked) whose answers are scripted, so `c` and the
 * session summaries work without a key or a network. Every answer says it is scripted.
 */

const MARK = "[scripted demo answer, no model was called]"

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {}

/** The text of the request's last user message (a string, or input_text parts). */
const lastUserText = (body: Record<string, unknown>): string => {
  const input = Array.isArray(body["input"]) ? body["input"] : []
  for (const item of [...input].reverse()) {
    const message = asRecord(item)
    if (message["role"] !== "user") continue
    const content = message["content"]
    if (typeof content === "string") return content
    if (Array.isArray(content)) return content.map((part) => String(asRecord(part)["text"] ?? "")).join("")
  }
  return ""
}

/** What the scripted supervisor says: a one-line summary when asked for one, otherwise an answer that names the question. */
export const scriptedAnswer = (prompt: string): string => {
  // The side panel's summary request (prompts.ts summaryInstructions): one line of at most 100 characters.
  if (prompt.startsWith("Summarize this agent session")) return "[scripted] Plans one doc under docs/, writes it after w n."
  const question = prompt.replace(/\s+/g, " ").trim().slice(0, 200)
  return [
    MARK,
    `You asked: “${question}”.`,
    "In a real run the supervisor reads the sessions, their transcripts, the inbox and the pull requests (through its tools) and answers here, streamed.",
    "Set OPENROUTER_API_KEY and run without --demo to ask a model."
  ].join("\n")
}

const message = (id: string, text: string, status: "in_progress" | "completed") => ({
  type: "message",
  id,
  status,
  role: "assistant",
  content: status === "completed" ? [{ type: "output_text", text, annotations: [] }] : []
})

const usage = { input_tokens: 0, input_tokens_details: { cached_tokens: 0 }, output_tokens: 0, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 0 }

const response = (id: string, model: string, text: string, status: "in_progress" | "completed") => ({
  id,
  object: "response",
  created_at: Math.floor(Date.now() / 1000),
  status,
  model,
  output: status === "completed" ? [message("msg_0", text, "completed")] : [],
  usage: status === "completed" ? usage : null,
  error: null,
  incomplete_details: null,
  instructions: null,
  parallel_tool_calls: false,
  tool_choice: "none",
  tools: [],
  metadata: {},
  temperature: 1,
  top_p: 1
})

/** The SSE frames of one streamed message, a few words per delta. */
const frames = (id: string, model: string, text: string): ReadonlyArray<string> => {
  const words = text.split(/(?<= )/)
  const events: Array<Record<string, unknown>> = [
    { type: "response.created", response: response(id, model, text, "in_progress") },
    { type: "response.output_item.added", output_index: 0, item: message("msg_0", text, "in_progress") },
    ...Array.from({ length: Math.ceil(words.length / 4) }, (_, i) => ({
      type: "response.output_text.delta",
      item_id: "msg_0",
      output_index: 0,
      content_index: 0,
      delta: words.slice(i * 4, i * 4 + 4).join(""),
      logprobs: []
    })),
    { type: "response.output_item.done", output_index: 0, item: message("msg_0", text, "completed") },
    { type: "response.completed", response: response(id, model, text, "completed") }
  ]
  return events.map((event, sequence) => `event: ${String(event["type"])}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`)
}

const MAX_BODY = 4_000_000

const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Array<Buffer> = []
    let size = 0
    req.on("data", (part: Buffer) => {
      size += part.length
      if (size > MAX_BODY) req.destroy(new Error("request body too large"))
      else parts.push(part)
    })
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    req.on("error", reject)
  })

/** Starts the scripted server for the scope; its base URL is what `supervisor.openrouter_base_url` points at. */
export const scriptedSupervisorServer = Effect.gen(function* () {
  let count = 0
  const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
    const raw = await readBody(req)
    if (req.method !== "POST" || req.url !== "/api/v1/responses") {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 404, message: "Not Found" } }))
      return
    }
    const body = asRecord(raw === "" ? {} : JSON.parse(raw))
    const model = typeof body["model"] === "string" ? body["model"] : "scripted-demo"
    const text = scriptedAnswer(lastUserText(body))
    count += 1
    const id = `resp_demo_${count}`
    if (body["stream"] === true) {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
      for (const frame of frames(id, model, text)) res.write(frame)
      res.end()
      return
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(response(id, model, text, "completed")))
  }
  const server = Http.createServer((req, res) => {
    answer(req, res).catch((error: unknown) => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 500, message: String(error) } })))
  })
  yield* Effect.acquireRelease(
    Effect.async<void>((resume) => void server.listen(0, "127.0.0.1", () => resume(Effect.void))),
    () =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return `http://127.0.0.1:${port}/api/v1`
})

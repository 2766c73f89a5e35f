import { Effect } from "effect"
import * as Http from "node:http"
import { type ChatStep, framesFor } from "./chatCompletionsScript.js"
import { listenOnLoopback, readBody, sleep } from "./httpFake.js"

/**
 * A scripted OpenAI chat-completions server on 127.0.0.1 (port 0): `POST /v1/chat/completions`
 * answers SSE `data: {...}` chunks then `data: [DONE]`, one script step per request. Every request
 * body is recorded so a test can assert what the agent sent to the model.
 */
export interface ChatCompletionsServer {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string
  /** Parsed bodies of every chat-completions request, in arrival order. */
  readonly requests: Effect.Effect<ReadonlyArray<ChatRequest>>
  /** Appends steps to the script (for a second turn). */
  readonly push: (...steps: ReadonlyArray<ChatStep>) => Effect.Effect<void>
}

export interface ChatRequest {
  readonly model: string
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: unknown }>
  readonly raw: string
}

const fallback: ChatStep = { kind: "text", text: "Nothing more to do." }

const parseRequest = (raw: string): ChatRequest => {
  const value: unknown = JSON.parse(raw)
  const record = typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {}
  const messages = Array.isArray(record["messages"]) ? (record["messages"] as ChatRequest["messages"]) : []
  return { model: typeof record["model"] === "string" ? record["model"] : "", messages, raw }
}

/** Scoped: the server closes (and drops open streams) when the scope ends. */
export const makeChatCompletionsServer = (script: ReadonlyArray<ChatStep>) =>
  Effect.gen(function* () {
    const queue: Array<ChatStep> = [...script]
    const recorded: Array<ChatRequest> = []
    let calls = 0

    const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }))
        return
      }
      const raw = await readBody(req)
      const request = parseRequest(raw)
      recorded.push(request)
      calls += 1
      const step = queue.shift() ?? fallback
      if (step.kind === "httpError") {
        res
          .writeHead(step.status, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: step.message, type: "invalid_request_error", code: "scripted" } }))
        return
      }
      if ("delayMs" in step && step.delayMs !== undefined) await sleep(step.delayMs)
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" })
      const frames = framesFor(step, `chatcmpl-${calls}`, request.model, calls)
      if (step.kind === "cut") {
        // Two frames of the answer, then the connection dies without [DONE].
        for (const f of frames.slice(0, 2)) res.write(f)
        await sleep(50)
        res.destroy()
        return
      }
      for (const f of frames) res.write(f)
      res.end()
    }

    const port = yield* listenOnLoopback(answer)

    const self: ChatCompletionsServer = {
      baseUrl: `http://127.0.0.1:${port}/v1`,
      requests: Effect.sync(() => [...recorded]),
      push: (...steps) => Effect.sync(() => void queue.push(...steps))
    }
    return self
  })

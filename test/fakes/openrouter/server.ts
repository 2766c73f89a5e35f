import { Effect } from "effect"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { type OutputItem, responseObject, streamFrames } from "./responses.js"

/** One scripted answer: model output, or an HTTP error in OpenRouter's `{"error":{code,message}}` shape. */
export type Step =
  | { readonly kind: "output"; readonly items: ReadonlyArray<OutputItem> }
  | { readonly kind: "error"; readonly status: number; readonly message: string; readonly retryAfter?: string }
  /** Streams the first delta of `text`, then stays open: a model still thinking. */
  | { readonly kind: "stall"; readonly text: string }

export const say = (text: string): Step => ({ kind: "output", items: [{ type: "message", text }] })
export const callTool = (callId: string, name: string, args: unknown): Step => ({
  kind: "output",
  items: [{ type: "function_call", callId, name, arguments: JSON.stringify(args) }]
})
export const refuse = (status: number, message: string, retryAfter?: string): Step =>
  retryAfter === undefined ? { kind: "error", status, message } : { kind: "error", status, message, retryAfter }

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Http.IncomingHttpHeaders
  readonly raw: string
  readonly body: Record<string, unknown>
}

export interface FakeOpenRouter {
  /** `http://127.0.0.1:PORT/api/v1`, what `supervisor.openrouter_base_url` points at. */
  readonly baseUrl: string
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
}

const readBody = (req: Http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const parts: Array<Buffer> = []
    req.on("data", (part: Buffer) => parts.push(part))
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")))
    req.on("error", reject)
  })

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : {}

/**
 * A scripted OpenRouter on 127.0.0.1 port 0 serving `POST /api/v1/responses`: one step per request,
 * streamed (SSE) when the body says `stream: true`. Unscripted requests get a 500. Scoped.
 */
export const makeFakeOpenRouter = (script: ReadonlyArray<Step>) =>
  Effect.gen(function* () {
    const queue = [...script]
    const recorded: Array<RecordedRequest> = []

    const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      const raw = await readBody(req)
      const body = asRecord(raw === "" ? {} : JSON.parse(raw))
      recorded.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, body })
      if (req.method !== "POST" || req.url !== "/api/v1/responses") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: 404, message: "Not Found" } }))
        return
      }
      const step = queue.shift()
      if (step === undefined || step.kind === "error") {
        const status = step?.status ?? 500
        const headers: Record<string, string> = { "content-type": "application/json" }
        if (step?.retryAfter !== undefined) headers["retry-after"] = step.retryAfter
        res.writeHead(status, headers).end(JSON.stringify({ error: { code: status, message: step?.message ?? "script exhausted" } }))
        return
      }
      const id = `resp_${recorded.length}`
      const model = typeof body["model"] === "string" ? body["model"] : "unknown"
      if (step.kind === "stall") {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
        // created, item added, first delta: and nothing after, until the client goes away.
        for (const frame of streamFrames(id, model, [{ type: "message", text: step.text }], 1).slice(0, 3)) res.write(frame)
        return
      }
      if (body["stream"] === true) {
        res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
        for (const frame of streamFrames(id, model, step.items, 3)) res.write(frame)
        res.end()
        return
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(responseObject(id, model, step.items, "completed")))
    }

    const server = Http.createServer((req, res) => {
      answer(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)))
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    const { port } = server.address() as AddressInfo
    return {
      baseUrl: `http://127.0.0.1:${port}/api/v1`,
      requests: Effect.sync(() => [...recorded])
    } satisfies FakeOpenRouter
  })

import { Effect, type Scope } from "effect"
import type * as Http from "node:http"
import { listenOnLoopback, parseJsonOrText, readBody, sleep, streamFrames } from "./httpFake.js"
import { message, responseEvents, type ResponsesTurn } from "./responsesScript.js"

/**
 * A scripted OpenAI Responses-API server on 127.0.0.1 (port 0) for the real Codex binary:
 * `POST /v1/responses` answers SSE, one script turn per request. Every request body is recorded so
 * a test can assert the conversation history Codex sent.
 */
export interface ResponsesServer {
  /** `http://127.0.0.1:PORT/v1` */
  readonly baseUrl: string
  /** Parsed bodies of every `/v1/responses` request, in arrival order. */
  readonly requests: Effect.Effect<ReadonlyArray<unknown>>
  /** Appends turns to the script. */
  readonly push: (...turns: ReadonlyArray<ResponsesTurn>) => Effect.Effect<void>
}

// A stray extra request (a retry, a follow-up) gets a harmless answer instead of hanging a test.
const fallback = message("Nothing more to do.")

export const makeResponsesServer = (
  script: ReadonlyArray<ResponsesTurn>
): Effect.Effect<ResponsesServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const queue: Array<ResponsesTurn> = [...script]
    const recorded: Array<unknown> = []

    const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      if (req.method !== "POST" || req.url !== "/v1/responses") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }))
        return
      }
      recorded.push(parseJsonOrText(await readBody(req)))
      const responseNo = recorded.length
      const turn = queue.shift() ?? fallback
      if (turn.kind === "httpError") {
        res
          .writeHead(turn.status, { "content-type": "application/json" })
          .end(JSON.stringify({ error: { message: turn.message, type: "invalid_request_error", code: "scripted" } }))
        return
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
      if (turn.kind === "cut") {
        const events = responseEvents([{ kind: "message", text: turn.text }], responseNo)
        // The answer starts, then the connection dies without response.completed.
        for (const frame of events.slice(0, 3)) res.write(frame)
        await sleep(50)
        res.destroy()
        return
      }
      await streamFrames(res, responseEvents(turn.items, responseNo), turn.delayMs)
    }

    const port = yield* listenOnLoopback(answer)
    return {
      baseUrl: `http://127.0.0.1:${port}/v1`,
      requests: Effect.sync(() => [...recorded]),
      push: (...turns) => Effect.sync(() => void queue.push(...turns))
    }
  })

import { Effect, type Scope } from "effect"
import type * as Http from "node:http"
import { listenOnLoopback, parseJsonOrText, readBody, streamFrames } from "./httpFake.js"
import { errorBody, messageEvents, type MessagesTurn, text } from "./messagesScript.js"

/**
 * A scripted Anthropic Messages API server on 127.0.0.1 (port 0) for the real Claude Code binary
 * (`ANTHROPIC_BASE_URL`): `POST /v1/messages` answers SSE, one script turn per request. Every
 * request body is recorded so a test can assert the conversation Claude Code sent.
 */
export interface MessagesServer {
  /** `http://127.0.0.1:PORT` (Claude Code appends `/v1/messages`). */
  readonly baseUrl: string
  /** Parsed bodies of every `/v1/messages` request, in arrival order. */
  readonly requests: Effect.Effect<ReadonlyArray<unknown>>
  /** Appends turns to the script. */
  readonly push: (...turns: ReadonlyArray<MessagesTurn>) => Effect.Effect<void>
}

// A stray extra request gets a harmless answer instead of hanging a test.
const fallback = text("Nothing more to do.")

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

const messageCount = (body: unknown) => (isRecord(body) && Array.isArray(body["messages"]) ? body["messages"].length : -1)
const modelOf = (body: unknown) => (isRecord(body) && typeof body["model"] === "string" ? body["model"] : "claude-test")

export const makeMessagesServer = (script: ReadonlyArray<MessagesTurn>): Effect.Effect<MessagesServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const queue: Array<MessagesTurn> = [...script]
    const recorded: Array<unknown> = []
    // Claude Code retries a failed request with the same conversation: it gets the same failure.
    let failing: { readonly turn: MessagesTurn; readonly messages: number } | null = null

    const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
      const path = (req.url ?? "").split("?")[0]
      if (req.method !== "POST" || path !== "/v1/messages") {
        res.writeHead(404, { "content-type": "application/json" }).end(errorBody("not found"))
        return
      }
      const body = parseJsonOrText(await readBody(req))
      recorded.push(body)
      const retry = failing !== null && failing.messages === messageCount(body)
      const turn = retry && failing !== null ? failing.turn : (queue.shift() ?? fallback)
      if (turn.kind === "httpError") {
        failing = { turn, messages: messageCount(body) }
        res.writeHead(turn.status, { "content-type": "application/json", "x-should-retry": "false" }).end(errorBody(turn.message))
        return
      }
      failing = null
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
      await streamFrames(res, messageEvents(turn.blocks, recorded.length, modelOf(body)), turn.delayMs)
    }

    const port = yield* listenOnLoopback(answer)
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      requests: Effect.sync(() => [...recorded]),
      push: (...turns) => Effect.sync(() => void queue.push(...turns))
    }
  })

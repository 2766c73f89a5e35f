import { Deferred, Effect, type Scope } from "effect"
import type * as Http from "node:http"
import { listenOnLoopback, readBody } from "../modelServer/httpFake.js"
import { type MessagesBlock, messageEvents } from "../modelServer/messagesScript.js"
import { responseEvents, type ResponsesItem } from "../modelServer/responsesScript.js"

/**
 * A model server that plays a small agent for any number of
 * sessions at once, for the real Codex binary (OpenAI Responses, `POST /v1/responses`) and the real
 * Claude Code binary (Anthropic Messages, `POST /v1/messages`): it answers from the request itself (not from a queue), so concurrent sessions
 * and a resumed thread get the right answer whatever order their requests arrive in.
 *
 * - a request whose last input is a tool result: "implemented" (the turn ends);
 * - the latest user text is the implementation instruction: an `exec_command` writing `agentFile(key)`;
 * - anything else: a plan (the planning turn).
 */
export type Phase = "plan" | "implement" | "finish"

export interface AgentModelServer {
  /** `http://127.0.0.1:PORT/v1`, Codex's provider base URL. */
  readonly baseUrl: string
  /** `http://127.0.0.1:PORT`, Claude Code's `ANTHROPIC_BASE_URL`. */
  readonly anthropicUrl: string
  /** Phases answered so far, with the ticket key each request was for and the wire it came on. */
  readonly answered: Effect.Effect<ReadonlyArray<{ readonly phase: Phase; readonly key: string; readonly wire: "responses" | "messages" }>>
  /**
   * The next request of `phase` is held open after its first event (a turn in flight) and never
   * completed; the returned effect resolves, with the request's ticket key, once such a request arrived.
   */
  readonly holdNext: (phase: Phase) => Effect.Effect<Effect.Effect<string>>
  /** Drops every held response's connection, as a model stream cut off mid-way. */
  readonly releaseHeld: Effect.Effect<void>
}

/** The file the agent writes for a ticket: what a test looks for on origin's main. */
export const agentFile = (key: string) => `agent-${key.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}.txt`
export const agentFileText = (key: string) => `written by the agent for ${key}`

const IMPLEMENT_MARK = "The plan is accepted"

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

const textOf = (item: Record<string, unknown>): string => {
  const content = item["content"]
  if (typeof content === "string") return content
  if (!Array.isArray(content)) return ""
  return content.map((part: unknown) => (isRecord(part) && typeof part["text"] === "string" ? part["text"] : "")).join("")
}

export const phaseOf = (body: unknown): Phase => {
  const input = isRecord(body) && Array.isArray(body["input"]) ? body["input"].filter(isRecord) : []
  if (input.at(-1)?.["type"] === "function_call_output") return "finish"
  const lastUser = [...input].reverse().find((item) => item["type"] === "message" && item["role"] === "user")
  return lastUser !== undefined && textOf(lastUser).includes(IMPLEMENT_MARK) ? "implement" : "plan"
}

/** The same phases from an Anthropic Messages request: a tool result ends the turn. */
export const messagesPhaseOf = (body: unknown): Phase => {
  const messages = isRecord(body) && Array.isArray(body["messages"]) ? body["messages"].filter(isRecord) : []
  const lastUser = [...messages].reverse().find((message) => message["role"] === "user")
  const content = lastUser?.["content"]
  if (Array.isArray(content) && content.some((part: unknown) => isRecord(part) && part["type"] === "tool_result")) return "finish"
  return lastUser !== undefined && textOf(lastUser).includes(IMPLEMENT_MARK) ? "implement" : "plan"
}

const asBlock = (item: ResponsesItem): MessagesBlock =>
  item.kind === "exec" ? { kind: "tool", name: "Bash", input: { command: item.cmd, description: "write the agent file" } } : { kind: "text", text: item.text }

/** The ticket key from the session's developer instructions ("working on ticket ENG-1", or a GitHub issue's "acme/widgets#1"). */
export const keyOf = (raw: string): string => /working on ticket ([A-Z][A-Z0-9]*-\d+|[\w.-]+\/[\w.-]+#\d+)/.exec(raw)?.[1] ?? "UNKNOWN-0"

const itemsFor = (phase: Phase, key: string): ReadonlyArray<ResponsesItem> => {
  switch (phase) {
    case "plan":
      return [{ kind: "message", text: `Plan for ${key}: add ${agentFile(key)} and commit it.` }]
    case "implement":
      return [{ kind: "exec", cmd: `printf '%s\\n' '${agentFileText(key)}' > ${agentFile(key)}` }]
    case "finish":
      return [{ kind: "message", text: `Implemented ${key}: wrote ${agentFile(key)}.` }]
  }
}

export const makeAgentModelServer: Effect.Effect<AgentModelServer, never, Scope.Scope> = Effect.gen(function* () {
  const answered: Array<{ phase: Phase; key: string; wire: "responses" | "messages" }> = []
  const holds: Array<{ readonly phase: Phase; readonly arrived: Deferred.Deferred<string> }> = []
  const held: Array<Http.ServerResponse> = []

  const answer = async (req: Http.IncomingMessage, res: Http.ServerResponse) => {
    const anthropic = req.url?.split("?")[0] === "/v1/messages"
    if (req.method !== "POST" || (req.url !== "/v1/responses" && !anthropic)) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }))
      return
    }
    const raw = await readBody(req)
    let body: unknown = null
    try {
      body = JSON.parse(raw)
    } catch {
      body = null
    }
    const phase = anthropic ? messagesPhaseOf(body) : phaseOf(body)
    const key = keyOf(raw)
    const items = itemsFor(phase, key)
    const events = anthropic ? messageEvents(items.map(asBlock), answered.length + 1, "claude-e2e") : responseEvents(items, answered.length + 1)
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" })
    const hold = holds.findIndex((candidate) => candidate.phase === phase)
    if (hold >= 0) {
      const [taken] = holds.splice(hold, 1)
      // The turn has started on the model's side and stays in flight until the client goes away.
      res.write(events[0] ?? "")
      held.push(res)
      if (taken !== undefined) Deferred.unsafeDone(taken.arrived, Effect.succeed(key))
      return
    }
    answered.push({ phase, key, wire: anthropic ? "messages" : "responses" })
    for (const frame of events) res.write(frame)
    res.end()
  }

  const port = yield* listenOnLoopback(answer)
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    anthropicUrl: `http://127.0.0.1:${port}`,
    answered: Effect.sync(() => [...answered]),
    holdNext: (phase) =>
      Effect.map(Deferred.make<string>(), (arrived) => {
        holds.push({ phase, arrived })
        return Deferred.await(arrived)
      }),
    releaseHeld: Effect.sync(() => {
      for (const res of held.splice(0)) res.destroy()
    })
  }
})

import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { rmSync } from "node:fs"
import { type HttpAnswer, httpCall, readSse, type SseFrame } from "../../support/httpCall.js"
import { planted, startWebDemo, startWebPlain, type WebDemo } from "../../support/webDemo.js"

/**
 * The control API of `run --demo --headless --web`, from the outside: the built bin, a real HTTP
 * server, the real store and workflow behind it.
 */
describe("the web control API", () => {
  let demo: WebDemo
  const answers: Array<HttpAnswer> = []
  const call = async (path: string, options: { readonly method?: string; readonly headers?: Record<string, string>; readonly body?: unknown; readonly auth?: boolean } = {}) => {
    const headers = { ...(options.auth === false ? {} : { authorization: `Bearer ${demo.token}` }), ...options.headers }
    const answer = await httpCall(new URL(path, demo.url).href, { ...options, headers })
    answers.push(answer)
    return answer
  }
  const json = (answer: HttpAnswer): unknown => JSON.parse(answer.body)
  const waitFor = async <A>(read: () => Promise<A | undefined>, what: string, ms = 30_000): Promise<A> => {
    const until = Date.now() + ms
    for (;;) {
      const value = await read()
      if (value !== undefined) return value
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${demo.output()}`)
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }

  beforeAll(async () => {
    demo = await startWebDemo()
  }, 90_000)
  afterAll(async () => {
    await demo?.stop()
    rmSync(demo.home, { recursive: true, force: true })
  }, 30_000)

  it("refuses a request without the token (401) and one with a foreign Host (403)", async () => {
    for (const path of ["/", "/app.js", "/api/state", "/api/v1/state", "/api/openapi.json", "/api/events"]) {
      expect((await call(path, { auth: false })).status, path).toBe(401)
    }
    expect((await call("/api/state", { headers: { authorization: "Bearer nope" } })).status).toBe(401)
    const port = new URL(demo.url).port
    expect((await call("/api/state", { headers: { host: `attacker.example:${port}` } })).status).toBe(403)
    expect((await call("/api/state", { headers: { host: `localhost:${port}` } })).status).toBe(200)
  })

  it("moves a token given once in the URL into a SameSite=Strict, HttpOnly cookie", async () => {
    const answer = await call(`/?token=${demo.token}`, { auth: false })
    expect(answer.status).toBe(303)
    expect(answer.headers.location).toBe("/")
    const cookie = answer.headers["set-cookie"]?.[0] ?? ""
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const pair = cookie.split(";")[0] ?? ""
    const page = await call("/", { auth: false, headers: { cookie: pair } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<script type="module" src="/app.js">')
    expect((await call(`/?token=wrong`, { auth: false })).status).toBe(401)
  })

  it("answers the state, the tickets, the OpenAPI document and Symphony's state", async () => {
    const state = json(await call("/api/state"))
    // The demo's supervisor is the scripted one (no key, no network).
    expect(state).toMatchObject({ sessions: [], counts: { running: 0 }, supervisor: true })
    const tickets = json(await call("/api/tickets"))
    expect(Array.isArray(tickets) && tickets.map((t: { identifier: string }) => t.identifier).sort()).toEqual(["LOCAL-1", "LOCAL-2", "LOCAL-3"])
    const openapi = json(await call("/api/openapi.json"))
    expect(openapi).toMatchObject({ openapi: "3.1.0", paths: { "/api/state": {}, "/api/v1/state": {}, "/api/tickets/{ticketId}/start": {} } })
    const symphony = json(await call("/api/v1/state"))
    expect(Object.keys(symphony as object).sort()).toEqual(["codex_totals", "counts", "generated_at", "rate_limits", "retrying", "running"])
    expect(symphony).toMatchObject({ counts: { running: 0, retrying: 0 }, codex_totals: { input_tokens: 0, output_tokens: 0, total_tokens: 0 } })
  })

  it("gives each failure its status: 400 bad input, 404 unknown id, 409 forbidden move; the supervisor streams its answer", async () => {
    expect((await call("/api/tickets/not-a-ticket/start", { method: "POST", body: {} })).status).toBe(400)
    expect((await call("/api/tickets/local:999/start", { method: "POST", body: {} })).status).toBe(404)
    expect((await call("/api/sessions/ses-missing")).status).toBe(404)
    expect((await call("/api/sessions/ses-missing/message", { method: "POST", body: { text: "hi" } })).status).toBe(404)
    expect((await call("/api/work-items/wi-missing/advance", { method: "POST" })).status).toBe(404)
    expect((await call("/api/work-items/wi-missing/merge", { method: "POST" })).status).toBe(404)
    expect((await call("/api/work-items/wi-missing/archive", { method: "POST" })).status).toBe(404)
    const asked = await call("/api/supervisor/ask", { method: "POST", body: { question: "how is it going?" } })
    expect(asked.status, asked.body).toBe(200)
    expect(asked.body).toContain("[scripted demo answer")
    expect((await call("/api/supervisor/ask", { method: "POST", body: { question: "" } })).status).toBe(400)

    const started = json(await call("/api/tickets/local:1/start", { method: "POST", body: {} })) as { sessionId: string; workItemId: string }
    expect(started.sessionId).toMatch(/\S/)
    const session = `/api/sessions/${started.sessionId}`
    expect((await call(`${session}/message`, { method: "POST", body: { text: "" } })).status).toBe(400)
    expect((await call(`${session}/approval`, { method: "POST", body: { requestId: "r", decision: "maybe" } })).status).toBe(400)
    // Planning cannot merge: the workflow's table refuses the move.
    const merge = await call(`/api/work-items/${started.workItemId}/merge`, { method: "POST" })
    expect(merge.status, merge.body).toBe(409)
    expect(json(merge)).toMatchObject({ _tag: "Conflict" })

    const detail = await waitFor(async () => {
      const body = json(await call(session)) as { view: { blocks: ReadonlyArray<{ text: string }>; turnActive: boolean } }
      return body.view.blocks.some((b) => b.text.includes("Press w n to let me implement.")) && !body.view.turnActive ? body : undefined
    }, "the plan")
    expect(detail.view.blocks.map((b) => b.text).join("\n")).toContain("Plan: add a short document")
    const events = json(await call(`${session}/events?after=0&limit=5`)) as { events: ReadonlyArray<{ seq: number }> }
    expect(events.events).toHaveLength(5)
    expect((await call(`${session}/events?after=abc`)).status).toBe(400)
    const symphony = json(await call("/api/v1/state")) as { running: ReadonlyArray<{ issue_identifier: string; turn_count: number; tokens: { total_tokens: number } }> }
    expect(symphony.running).toEqual([expect.objectContaining({ issue_identifier: "LOCAL-1", turn_count: 1, tokens: expect.objectContaining({ total_tokens: 1290 }) })])
  }, 60_000)

  it("resumes the event stream from Last-Event-ID without missing or repeating anything", async () => {
    const lastSeq = (json(await call("/api/state")) as { seq: number }).seq
    const reachedEnd = (frames: ReadonlyArray<SseFrame>) => frames.some((f) => f.id !== null && f.id >= lastSeq)
    const auth = { authorization: `Bearer ${demo.token}` }
    const events = new URL("/api/events?after=0", demo.url).href
    const whole = await readSse(events, auth, reachedEnd)
    const cut = Math.floor(lastSeq / 2)
    const first = await readSse(events, auth, (frames) => frames.some((f) => f.id !== null && f.id >= cut))
    const resumeAt = first[first.length - 1]?.id ?? 0
    const rest = await readSse(events, { ...auth, "last-event-id": String(resumeAt) }, reachedEnd)
    expect(rest[0]?.id ?? 0).toBeGreaterThan(resumeAt)
    // Text deltas may be joined differently per connection: compare what they add up to.
    const normalized = (frames: ReadonlyArray<SseFrame>) => {
      const out: Array<string> = []
      const texts = new Map<string, string>()
      for (const frame of frames.filter((f) => f.event === "event" && f.id !== null && f.id <= lastSeq)) {
        const { event } = JSON.parse(frame.data) as { event: { _tag: string; sessionId?: string; event?: { _tag: string; itemId?: string; text?: string } } }
        if (event._tag === "SessionEvent" && event.event?._tag.endsWith("Delta") === true) {
          const key = `${event.sessionId}/${event.event._tag}/${event.event.itemId}`
          if (!texts.has(key)) out.push(`delta:${key}`)
          texts.set(key, (texts.get(key) ?? "") + (event.event.text ?? ""))
        } else out.push(JSON.stringify(event))
      }
      return { out, texts: Object.fromEntries(texts) }
    }
    expect(normalized([...first.filter((f) => f.id === null || f.id <= resumeAt), ...rest])).toEqual(normalized(whole))
    expect(whole.filter((f) => f.event === "event").length).toBeGreaterThan(10)

    // Following another session: the lists' events come, this session's worker events do not.
    const other = await readSse(new URL("/api/events?after=0&session=ses-other", demo.url).href, auth, reachedEnd)
    const tags = other.filter((f) => f.event === "event").map((f) => (JSON.parse(f.data) as { event: { _tag: string } }).event._tag)
    expect(tags).toContain("SessionSpawned")
    expect(tags).not.toContain("SessionEvent")
  }, 60_000)

  it("carries no secret of the environment, nor the token, in any answer", () => {
    expect(answers.length).toBeGreaterThan(20)
    for (const answer of answers) {
      const { ["set-cookie"]: _cookie, ...headers } = answer.headers
      const text = JSON.stringify(headers) + answer.body
      for (const [name, value] of Object.entries(planted)) expect(text, name).not.toContain(value)
      expect(text).not.toContain(demo.token)
    }
  })
})

describe("the web control API without a supervisor key", () => {
  it("answers 503 to a supervisor question, saying what is missing", async () => {
    const run = await startWebPlain()
    try {
      const answer = await httpCall(new URL("/api/supervisor/ask", run.url).href, {
        method: "POST",
        headers: { authorization: `Bearer ${run.token}` },
        body: { question: "how is it going?" }
      })
      expect(answer.status, answer.body).toBe(503)
      expect(answer.body).toContain("OPENROUTER_API_KEY")
    } finally {
      await run.stop()
      rmSync(run.home, { recursive: true, force: true })
    }
  }, 90_000)
})

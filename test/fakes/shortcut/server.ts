import { Effect } from "effect"
import { byUpdatedDesc, type FakeReply, type FakeRequest, startJsonServer } from "../linear/jsonServer.js"

/**
 * A Shortcut REST v3 fake (PROTOCOLS.md, Shortcut): `Shortcut-Token`, story search with owner and
 * state terms and `next` pagination, the story query by owner and update time, workflows, GET/PUT
 * stories, comments, creation.
 */

export type ShortcutFault = { readonly kind: "429"; readonly retryAfter?: string } | { readonly kind: "500" } | { readonly kind: "hang" }

export interface ShortcutFakeOptions {
  readonly apiToken: string
  readonly stories?: ReadonlyArray<Record<string, unknown>>
  readonly faults?: ReadonlyArray<ShortcutFault>
  readonly latencyMs?: number
}

export interface ShortcutFake {
  /** The API base, as `[shortcut] api_url` takes it. */
  readonly url: string
  readonly stories: Array<Record<string, unknown>>
  readonly faults: Array<ShortcutFault>
  readonly comments: Array<{ readonly storyId: number; readonly text: string }>
  /** "METHOD /path" of every request served, faults as `fault:<kind>`. */
  readonly calls: Array<string>
  readonly close: () => Promise<void>
}

export const ME = { id: "member-me", mention_name: "me" }

export const workflow = {
  id: 500,
  name: "Engineering",
  default_state_id: 500001,
  states: [
    { id: 500001, name: "Todo", type: "unstarted" },
    { id: 500002, name: "In Progress", type: "started" },
    { id: 500003, name: "In Review", type: "started" },
    { id: 500004, name: "Done", type: "done" },
    { id: 500005, name: "Canceled", type: "done" }
  ]
} as const

const stateId = (name: string) => workflow.states.find((s) => s.name === name)?.id ?? workflow.default_state_id

export const shortcutStory = (
  n: number,
  overrides: { name?: string; description?: string; state?: string; mine?: boolean } = {}
): Record<string, unknown> => ({
  id: n,
  name: overrides.name ?? `Story number ${n}`,
  description: overrides.description ?? `Description of story ${n}`,
  app_url: `https://app.shortcut.com/acme/story/${n}`,
  workflow_state_id: stateId(overrides.state ?? "Todo"),
  owner_ids: overrides.mine === false ? ["member-other"] : [ME.id],
  labels: [{ name: "bug" }],
  updated_at: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
  archived: false,
  external_links: [],
  group_id: null
})

interface Terms {
  readonly owner?: string | undefined
  readonly state?: string | undefined
  readonly archived?: boolean
  readonly words: ReadonlyArray<string>
}

const parseQuery = (query: string): Terms => {
  const found: { owner?: string | undefined; state?: string | undefined; archived?: boolean; words: Array<string> } = { words: [] }
  for (const match of query.matchAll(/(!?)(\w+):("[^"]*"|\S+)|(\S+)/g)) {
    const [, negated, key, raw, word] = match
    if (word !== undefined) found.words.push(word.toLowerCase())
    const value = raw?.replace(/^"|"$/g, "")
    if (key === "owner") found.owner = value
    if (key === "state") found.state = value
    if (key === "is" && value === "archived") found.archived = negated !== "!"
  }
  return found
}

const BASE = "/api/v3"

export const startShortcutFake = async (options: ShortcutFakeOptions): Promise<ShortcutFake> => {
  const stories = [...(options.stories ?? [])]
  const faults = [...(options.faults ?? [])]
  const comments: ShortcutFake["comments"] = []
  const calls: Array<string> = []
  const byId = (id: string | undefined) => stories.find((s) => String(s["id"]) === id)
  const notFound: FakeReply = { status: 404, body: { message: "Resource not found." } }

  const search = (params: URLSearchParams): FakeReply => {
    const query = params.get("query") ?? ""
    const size = Number(params.get("page_size") ?? "25")
    // Shortcut's own bound on page_size (1 to 25).
    if (!Number.isInteger(size) || size < 1 || size > 25) {
      return { status: 400, body: { message: "page_size must be an integer from 1 to 25", errors: { page_size: size } } }
    }
    const offset = Number(params.get("next") ?? "0")
    const terms = parseQuery(query)
    const state = terms.state === undefined ? undefined : workflow.states.find((s) => s.name === terms.state)?.id
    const matching = stories
      .filter((s) => terms.owner === undefined || (terms.owner === ME.mention_name && Array.isArray(s["owner_ids"]) && s["owner_ids"].includes(ME.id)))
      .filter((s) => terms.state === undefined || s["workflow_state_id"] === state)
      .filter((s) => terms.archived === undefined || s["archived"] === terms.archived)
      .filter((s) => terms.words.every((w) => `${String(s["name"])} ${String(s["description"])}`.toLowerCase().includes(w)))
      .sort((a, b) => byUpdatedDesc(String(a["updated_at"]), String(b["updated_at"])))
    const page = matching.slice(offset, offset + size)
    const end = offset + page.length
    const slim = params.get("detail") === "slim"
    const next = new URLSearchParams(params)
    next.set("next", String(end))
    return {
      status: 200,
      body: {
        total: matching.length,
        data: page.map((s) => (slim ? { ...s, description: undefined } : s)),
        next: end < matching.length && end < 1000 ? `${BASE}/search/stories?${next.toString()}` : null
      }
    }
  }

  /**
   * `POST /stories/search` (Query Stories): body filters, every match in one array, slim stories
   * (no description unless `includes_description`); a date-time that does not parse is a 400.
   */
  const query = (body: object): FakeReply => {
    const field = (name: string): unknown => Reflect.get(body, name)
    const instant = (name: string): number | undefined | "bad" => {
      const value = field(name)
      if (value === undefined) return undefined
      return typeof value === "string" && !Number.isNaN(Date.parse(value)) ? Date.parse(value) : "bad"
    }
    const start = instant("updated_at_start")
    const end = instant("updated_at_end")
    if (start === "bad" || end === "bad") return { status: 400, body: { message: "updated_at_start and updated_at_end must be date-times" } }
    const owners = field("owner_ids")
    const archived = field("archived")
    const stateId = field("workflow_state_id")
    const updated = (s: Record<string, unknown>) => Date.parse(String(s["updated_at"]))
    const matching = stories
      .filter((s) => {
        const storyOwners = s["owner_ids"]
        return !Array.isArray(owners) || (Array.isArray(storyOwners) && owners.some((o) => storyOwners.includes(o)))
      })
      .filter((s) => typeof archived !== "boolean" || s["archived"] === archived)
      .filter((s) => typeof stateId !== "number" || s["workflow_state_id"] === stateId)
      .filter((s) => start === undefined || updated(s) >= start)
      .filter((s) => end === undefined || updated(s) <= end)
    const described = field("includes_description") === true
    return { status: 200, body: matching.map((s) => (described ? s : { ...s, description: undefined })) }
  }

  const handle = (request: FakeRequest): FakeReply | "hang" => {
    const target = new URL(request.url, "http://fake")
    if (!target.pathname.startsWith(BASE)) return { status: 404, body: "Not Found" }
    if (request.headers["shortcut-token"] !== options.apiToken) return { status: 401, body: { message: "Unauthorized" } }
    const fault = faults.shift()
    if (fault !== undefined) {
      calls.push(`fault:${fault.kind}`)
      if (fault.kind === "hang") return "hang"
      if (fault.kind === "500") return { status: 500, body: { message: "Internal error" } }
      return { status: 429, headers: fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }, body: { message: "Too many requests" } }
    }
    const path = target.pathname.slice(BASE.length)
    calls.push(`${request.method} ${path}`)
    const body = typeof request.body === "object" && request.body !== null ? request.body : {}
    const storyMatch = /^\/stories\/([^/]+)(\/comments)?$/.exec(path)
    if (request.method === "GET" && path === "/member") return { status: 200, body: { ...ME, profile: { mention_name: ME.mention_name, name: "Me Myself" } } }
    if (request.method === "GET" && path === "/workflows") return { status: 200, body: [workflow] }
    if (request.method === "GET" && path === "/search/stories") return search(target.searchParams)
    if (request.method === "POST" && path === "/stories/search") return query(body)
    if (request.method === "POST" && path === "/stories") {
      const name = Reflect.get(body, "name")
      if (typeof name !== "string" || name === "") return { status: 422, body: { message: "name is required" } }
      const created = { ...shortcutStory(stories.length + 9000), name, description: String(Reflect.get(body, "description") ?? ""), labels: [] }
      stories.push(created)
      return { status: 201, body: created }
    }
    if (storyMatch !== null) {
      const story = byId(storyMatch[1])
      if (story === undefined) return notFound
      if (storyMatch[2] !== undefined && request.method === "POST") {
        const text = String(Reflect.get(body, "text"))
        comments.push({ storyId: Number(story["id"]), text })
        return { status: 201, body: { id: comments.length, text } }
      }
      if (request.method === "GET") return { status: 200, body: story }
      if (request.method === "PUT") {
        Object.assign(story, body, { updated_at: new Date().toISOString() })
        return { status: 200, body: story }
      }
    }
    return notFound
  }

  const server = await startJsonServer(handle, options.latencyMs ?? 0)
  return { url: `${server.url}${BASE}`, stories, faults, comments, calls, close: server.close }
}

export const shortcutFake = (options: ShortcutFakeOptions) =>
  Effect.acquireRelease(
    Effect.promise(() => startShortcutFake(options)),
    (fake) => Effect.promise(() => fake.close())
  )

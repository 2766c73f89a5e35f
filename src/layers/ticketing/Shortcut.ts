import { HttpClient, HttpClientRequest } from "@effect/platform"
import { DateTime, Effect, Layer, Option, Redacted, Ref, type Schema } from "effect"
import { TicketingDecodeError, TicketingError } from "../../domain/errors.js"
import type { TicketId } from "../../domain/ids.js"
import { TicketListingIncomplete } from "../../domain/ticketListing.js"
import { Ticket, TicketState, type TicketStateType } from "../../domain/ticket.js"
import type { WorkflowState } from "../../domain/workflow.js"
import { AppConfig } from "../../services/AppConfig.js"
import { type NewTicket, type PageProgress, Ticketing, type TicketingFailure, type TicketQuery } from "../../services/Ticketing.js"
import { decodeAnswer } from "./decodeAnswer.js"
import { type CallSite, defaultTrackerRetryPolicy, quote, send, type TrackerRetryPolicy, withRetry } from "./httpCall.js"
import * as Wire from "./shortcutWire.js"
import { findStateByName, mappedStateName, rawId, ticketId } from "./ticketNaming.js"

export interface ShortcutOptions {
  /** e.g. `https://api.app.shortcut.com/api/v3` */
  readonly apiUrl: string
  readonly apiToken: Redacted.Redacted<string>
  readonly stateMap: { readonly [K in WorkflowState]?: string | undefined }
  readonly retry: TrackerRetryPolicy
  /** Stories per search page, `[shortcut] fetch_limit` (at most `shortcutMaxPageSize`). */
  readonly pageSize: number
}

/** Shortcut refuses a larger `page_size`. */
export const shortcutMaxPageSize = 25
/**
 * Shortcut pages through only the first this many matches of one search; the unpaged story query
 * documents no bound, so an answer this long is taken as possibly cut too.
 */
const searchPageable = 1000

const PROVIDER = "shortcut"
const ENV_VAR = "SHORTCUT_API_TOKEN"

const stateType = (type: typeof Wire.ShortcutStateType.Type): TicketStateType => (type === "done" ? "completed" : type)

type StateIndex = ReadonlyMap<number, { readonly name: string; readonly type: TicketStateType }>

const indexStates = (workflows: ReadonlyArray<Wire.ShortcutWorkflow>): StateIndex =>
  new Map(workflows.flatMap((w) => w.states.map((s) => [s.id, { name: s.name, type: stateType(s.type) }] as const)))

/** A search term needs quotes when it has spaces; quotes inside are dropped. */
const term = (key: string, value: string) => {
  const clean = value.replace(/"/g, "")
  return /\s/.test(clean) ? `${key}:"${clean}"` : `${key}:${clean}`
}

export const makeShortcut = (options: ShortcutOptions) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const base = options.apiUrl.replace(/\/+$/, "")

    const call = <A, I>(
      operation: string,
      request: HttpClientRequest.HttpClientRequest,
      answer: Schema.Schema<A, I, never>
    ): Effect.Effect<A, TicketingFailure> => {
      const site: CallSite = { provider: PROVIDER, operation, envVar: ENV_VAR }
      const signed = request.pipe(
        HttpClientRequest.setHeader("shortcut-token", Redacted.value(options.apiToken)),
        HttpClientRequest.acceptJson
      )
      const attempt = Effect.gen(function* () {
        const reply = yield* send(client, signed, site, options.retry)
        if (reply.status >= 400) {
          return yield* new TicketingError({ provider: PROVIDER, operation, detail: `HTTP ${reply.status}: ${quote(reply.text)}` })
        }
        return yield* decodeAnswer(answer, site)(reply.json)
      })
      return withRetry(options.retry, PROVIDER, operation, attempt)
    }

    const url = (path: string) => `${base}${path}`
    const workflows = call("read workflows", HttpClientRequest.get(url("/workflows")), Wire.Workflows)
    const member = call("read member", HttpClientRequest.get(url("/member")), Wire.ShortcutMember)

    const toTicket = (story: Wire.Story, states: StateIndex) =>
      Option.match(Option.fromNullable(states.get(story.workflow_state_id)), {
        onNone: () =>
          Effect.fail(
            new TicketingDecodeError({
              provider: PROVIDER,
              operation: "read story",
              received: quote(JSON.stringify({ id: story.id, workflow_state_id: story.workflow_state_id })),
              detail: "workflow_state_id is in no workflow"
            })
          ),
        onSome: (state) =>
          Effect.succeed(
            // Decoded by `Story` already: skip the constructor's second validation.
            new Ticket({
              id: ticketId("shortcut", story.id),
              provider: "shortcut",
              identifier: `sc-${story.id}`,
              title: story.name,
              description: story.description,
              url: story.app_url,
              priority: 0,
              state: new TicketState(state, true),
              project: null,
              team: story.group_id,
              labels: story.labels.map((l) => l.name),
              assignee: story.owner_ids[0] ?? null,
              updatedAt: DateTime.toEpochMillis(story.updated_at)
            }, true)
          )
      })

    const story = (id: TicketId, operation: string) =>
      Effect.flatMap(rawId("shortcut", id, operation), (raw) =>
        call(operation, HttpClientRequest.get(url(`/stories/${encodeURIComponent(raw)}`)), Wire.Story)
      )

    const put = (id: TicketId, operation: string, body: Record<string, unknown>) =>
      Effect.flatMap(rawId("shortcut", id, operation), (raw) =>
        call(operation, HttpClientRequest.put(url(`/stories/${encodeURIComponent(raw)}`)).pipe(HttpClientRequest.bodyUnsafeJson(body)), Wire.Story)
      )

    // What a query for changed stories needs, kept for the adapter's life so that a periodic re-sync
    // is one request: the member's id never changes, and the workflows are read again at every full
    // listing and as soon as a story names a state they do not hold.
    const memberId = yield* Ref.make(Option.none<string>())
    const knownStates = yield* Ref.make<StateIndex>(new Map())
    const myId = Effect.flatMap(Ref.get(memberId), (known) =>
      Option.isSome(known) ? Effect.succeed(known.value) : Effect.tap(Effect.map(member, (m) => m.id), (id) => Ref.set(memberId, Option.some(id)))
    )
    const statesOf = (stories: ReadonlyArray<Wire.Story>) =>
      Effect.gen(function* () {
        const known = yield* Ref.get(knownStates)
        if (stories.every((s) => known.has(s.workflow_state_id))) return known
        const fresh = indexStates(yield* workflows)
        yield* Ref.set(knownStates, fresh)
        return fresh
      })

    /**
     * One search (one state, or none), following `next` until it runs out or `room` is filled.
     * Whether it listed every match: Shortcut pages through only the first 1000 of a search.
     */
    const search = (query: string, room: number, states: StateIndex, found: Array<Ticket>, onPage?: PageProgress) =>
      Effect.gen(function* () {
        const start = found.length
        const stop = start + room
        let next: string | null = null
        let total = 0
        do {
          const request: HttpClientRequest.HttpClientRequest =
            next === null
              ? HttpClientRequest.get(url("/search/stories"), {
                  urlParams: {
                    query,
                    page_size: String(Math.min(options.pageSize, shortcutMaxPageSize, stop - found.length)),
                    detail: "full"
                  }
                })
              : HttpClientRequest.get(new URL(next, `${base}/`))
          const page: typeof Wire.StorySearch.Type = yield* call("search stories", request, Wire.StorySearch)
          total = page.total
          for (const s of page.data.slice(0, stop - found.length)) found.push(yield* toTicket(s, states))
          if (onPage !== undefined) yield* onPage(found.length)
          next = page.data.length === 0 ? null : page.next
        } while (next !== null && found.length < stop)
        return found.length >= stop || total <= searchPageable || found.length - start >= total
          ? null
          : `"${query}" matches ${total} stories and Shortcut pages through only the first ${searchPageable}`
      })

    const list = (query: TicketQuery, onPage?: PageProgress) =>
      query.updatedSince === undefined ? listAll(query, onPage) : changedSince(query, query.updatedSince, onPage)

    const listAll = (query: TicketQuery, onPage?: PageProgress) =>
      Effect.gen(function* () {
        const states = indexStates(yield* workflows)
        yield* Ref.set(knownStates, states)
        const me = query.assignedToMe ? yield* member : null
        if (me !== null) yield* Ref.set(memberId, Option.some(me.id))
        // The mention name is read every time: unlike the id, a person can change it.
        const owner = me === null ? [] : [term("owner", me.mention_name)]
        const text = query.search === null || query.search === "" ? [] : [query.search.replace(/[":]/g, " ")]
        const common = [...owner, "!is:archived", ...text]
        const found: Array<Ticket> = []
        // One search per state: Shortcut ANDs repeated `state:` terms.
        const perState = query.states.length === 0 ? [common] : query.states.map((s) => [...common, term("state", s)])
        const cut: Array<string> = []
        for (const terms of perState) {
          if (found.length >= query.limit) break
          const short = yield* search(terms.join(" "), query.limit - found.length, states, found, onPage)
          if (short !== null) cut.push(short)
        }
        // A partial listing must not pass for a complete one (TicketQuery.limit).
        if (cut.length > 0) return yield* new TicketListingIncomplete({ provider: PROVIDER, detail: cut.join("; "), tickets: found })
        return found
      })

    /**
     * Stories changed at or after `since`. The search's `updated:` operator takes whole days, so this
     * asks the story query (`POST /stories/search`), whose `updated_at_start` is a date-time; it has no
     * text search and takes one state, so those filters are applied here, on the answer.
     */
    const changedSince = (query: TicketQuery, since: Date, onPage?: PageProgress) =>
      Effect.gen(function* () {
        const owner = query.assignedToMe ? { owner_ids: [yield* myId] } : {}
        const body = { archived: false, updated_at_start: since.toISOString(), includes_description: true, ...owner }
        const request = HttpClientRequest.post(url("/stories/search")).pipe(HttpClientRequest.bodyUnsafeJson(body))
        const stories = yield* call("query stories", request, Wire.Stories)
        const states = yield* statesOf(stories)
        const wanted = new Set(query.states.map((name) => name.toLowerCase()))
        const words = (query.search ?? "").toLowerCase().split(/\s+/).filter((w) => w !== "")
        const tickets = (yield* Effect.forEach(stories, (s) => toTicket(s, states)))
          .filter((t) => wanted.size === 0 || wanted.has(t.state.name.toLowerCase()))
          .filter((t) => words.every((w) => `${t.title} ${t.description}`.toLowerCase().includes(w)))
          .sort((a, b) => b.updatedAt - a.updatedAt)
          .slice(0, query.limit)
        if (onPage !== undefined) yield* onPage(tickets.length)
        if (stories.length >= searchPageable && tickets.length < query.limit) {
          const detail = `${stories.length} stories changed since ${since.toISOString()}, and Shortcut may answer only ${searchPageable}`
          return yield* new TicketListingIncomplete({ provider: PROVIDER, detail, tickets })
        }
        return tickets
      })

    const withStates = <A>(f: (states: StateIndex, flows: ReadonlyArray<Wire.ShortcutWorkflow>) => Effect.Effect<A, TicketingFailure>) =>
      Effect.flatMap(workflows, (flows) => f(indexStates(flows), flows))

    const create = (fresh: NewTicket) =>
      withStates((states, flows) =>
        Effect.gen(function* () {
          const flow = flows.find((w) => fresh.project !== null && w.name.toLowerCase() === fresh.project.toLowerCase()) ?? flows[0]
          if (flow === undefined) return yield* new TicketingError({ provider: PROVIDER, operation: "create story", detail: "the workspace has no workflow" })
          const body = { name: fresh.title, description: fresh.description, workflow_state_id: flow.default_state_id }
          const created = yield* call("create story", HttpClientRequest.post(url("/stories")).pipe(HttpClientRequest.bodyUnsafeJson(body)), Wire.Story)
          return yield* toTicket(created, states)
        })
      )

    const updateState = (id: TicketId, state: WorkflowState) =>
      withStates((states, flows) =>
        Effect.gen(function* () {
          const name = yield* mappedStateName("shortcut", options.stateMap, state)
          const current = yield* story(id, "update state")
          const flow = flows.find((w) => w.states.some((s) => s.id === current.workflow_state_id))
          const target = yield* findStateByName("shortcut", flow?.states ?? [], name, `workflow ${flow?.name ?? "?"}`)
          return yield* Effect.flatMap(put(id, "update state", { workflow_state_id: target.id }), (s) => toTicket(s, states))
        })
      )

    const attachLink = (id: TicketId, link: string) =>
      Effect.gen(function* () {
        const current = yield* story(id, "attach link")
        // PUT replaces the list: keep what is there, and never add the same link twice.
        if (current.external_links.includes(link)) return
        yield* put(id, "attach link", { external_links: [...current.external_links, link] })
      })

    const addComment = (id: TicketId, body: string) =>
      Effect.flatMap(rawId("shortcut", id, "add comment"), (raw) =>
        call(
          "add comment",
          HttpClientRequest.post(url(`/stories/${encodeURIComponent(raw)}/comments`)).pipe(HttpClientRequest.bodyUnsafeJson({ text: body })),
          Wire.Comment
        )
      )

    return Ticketing.of({
      provider: "shortcut",
      list,
      get: (id) => withStates((states) => Effect.flatMap(story(id, "get story"), (s) => toTicket(s, states))),
      create,
      updateState,
      updateDescription: (id, description) => Effect.asVoid(put(id, "update description", { description })),
      addComment: (id, body) => Effect.asVoid(addComment(id, body)),
      attachLink: (id, link) => attachLink(id, link),
      health: Effect.map(member, (m) => `shortcut: signed in as @${m.mention_name}`)
    })
  })

/** Shortcut from the configuration; needs SHORTCUT_API_TOKEN (the config falls back to local without it). */
export const ShortcutLive = Layer.effect(
  Ticketing,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const apiToken = yield* Option.match(config.secrets.shortcutApiToken, {
      onNone: () => Effect.fail(new TicketingError({ provider: PROVIDER, operation: "start", detail: `${ENV_VAR} is not set` })),
      onSome: Effect.succeed
    })
    return yield* makeShortcut({
      apiUrl: config.settings.shortcut.api_url,
      apiToken,
      stateMap: config.settings.tracker.workflow_state_map,
      retry: defaultTrackerRetryPolicy,
      pageSize: Math.min(config.settings.shortcut.fetch_limit, shortcutMaxPageSize)
    })
  })
)

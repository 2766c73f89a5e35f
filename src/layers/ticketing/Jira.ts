import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Config, Effect, Layer, Option, Redacted, type Schema } from "effect"
import { TicketingError } from "../../domain/errors.js"
import type { TicketId } from "../../domain/ids.js"
import { Ticket, type TicketPriority, TicketState, type TicketStateType } from "../../domain/ticket.js"
import type { WorkflowState } from "../../domain/workflow.js"
import { AppConfig } from "../../services/AppConfig.js"
import { type NewTicket, type PageProgress, Ticketing, type TicketingFailure, type TicketQuery } from "../../services/Ticketing.js"
import { callJson, defaultTrackerRetryPolicy, quote, type TrackerRetryPolicy } from "./httpCall.js"
import { fromAdf, toAdf } from "./jiraAdf.js"
import { listingJql } from "./jiraJql.js"
import * as Wire from "./jiraWire.js"
import { findStateByName, mappedStateName, rawId, ticketId } from "./ticketNaming.js"

export interface JiraOptions {
  /** The site, e.g. `https://acme.atlassian.net`. */
  readonly baseUrl: string
  readonly email: string
  readonly apiToken: Redacted.Redacted<string>
  /** `[jira] project_key`: listings keep to it and new issues go there; "" for every project. */
  readonly projectKey: string
  readonly issueType: string
  readonly stateMap: { readonly [K in WorkflowState]?: string | undefined }
  readonly retry: TrackerRetryPolicy
  /** Issues per search page, `[jira] fetch_limit` (at most `jiraMaxPageSize`). */
  readonly pageSize: number
}

export const jiraMaxPageSize = 100
const PROVIDER = "jira"
const ENV_VAR = "JIRA_API_TOKEN"
/** A listing stops (and fails as incomplete) after this many pages. */
const MAX_PAGES = 200

/** Jira's status categories: `new`, `indeterminate`, `done` (and `undefined` for a broken one). */
const stateType = (category: string, name: string, canceled: string): TicketStateType =>
  category === "done" ? (name.toLowerCase() === canceled.toLowerCase() ? "canceled" : "completed") : category === "new" ? "unstarted" : "started"

const priorities: Readonly<Record<string, TicketPriority>> = { highest: 1, high: 2, medium: 3, low: 4, lowest: 4 }

export const makeJira = (options: JiraOptions) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const base = options.baseUrl.replace(/\/+$/, "")
    const auth = `Basic ${Buffer.from(`${options.email}:${Redacted.value(options.apiToken)}`).toString("base64")}`
    const canceled = options.stateMap.Abandoned ?? "Canceled"

    const call = <A, I>(operation: string, request: HttpClientRequest.HttpClientRequest, answer: Schema.Schema<A, I, never>) =>
      callJson(
        client,
        request.pipe(HttpClientRequest.setHeader("authorization", auth), HttpClientRequest.acceptJson),
        { provider: PROVIDER, operation, envVar: ENV_VAR },
        options.retry,
        answer
      )
    const url = (path: string) => `${base}/rest/api/3${path}`
    const json = (body: unknown) => HttpClientRequest.bodyUnsafeJson(body)
    const issuePath = (id: TicketId, operation: string, rest = "") =>
      Effect.map(rawId(PROVIDER, id, operation), (key) => `/issue/${encodeURIComponent(key)}${rest}`)

    const myself = yield* Effect.cached(call("read myself", HttpClientRequest.get(url("/myself")), Wire.Myself))

    const toTicket = (issue: Wire.JiraIssue) =>
      // Decoded by `JiraIssue` already: skip the constructor's second validation.
      new Ticket(
        {
          id: ticketId(PROVIDER, issue.key),
          provider: PROVIDER,
          identifier: issue.key,
          title: issue.fields.summary,
          description: fromAdf(issue.fields.description),
          url: `${base}/browse/${issue.key}`,
          priority: priorities[issue.fields.priority?.name.toLowerCase() ?? ""] ?? 0,
          state: new TicketState(
            { name: issue.fields.status.name, type: stateType(issue.fields.status.statusCategory.key, issue.fields.status.name, canceled) },
            true
          ),
          project: issue.fields.project?.key ?? null,
          team: null,
          labels: issue.fields.labels,
          assignee: issue.fields.assignee?.displayName ?? null,
          updatedAt: Wire.jiraMillis(issue.fields.updated)
        },
        true
      )

    const get = (id: TicketId, operation = "get issue") =>
      Effect.flatMap(issuePath(id, operation), (path) =>
        call(operation, HttpClientRequest.get(url(path), { urlParams: { fields: Wire.issueFields.join(",") } }), Wire.JiraIssue)
      ).pipe(Effect.map(toTicket))

    const list = (query: TicketQuery, onPage?: PageProgress) =>
      Effect.gen(function* () {
        const timeZone = query.updatedSince === undefined ? "UTC" : (yield* myself).timeZone
        const jql = listingJql(query, options.projectKey, timeZone)
        const found: Array<Ticket> = []
        let token: string | null = null
        for (let page = 0; page < MAX_PAGES; page++) {
          const body = {
            jql,
            maxResults: Math.max(1, Math.min(options.pageSize, jiraMaxPageSize, query.limit - found.length)),
            fields: Wire.issueFields,
            ...(token === null ? {} : { nextPageToken: token })
          }
          const answer: typeof Wire.SearchPage.Type = yield* call("search issues", HttpClientRequest.post(url("/search/jql")).pipe(json(body)), Wire.SearchPage)
          for (const issue of answer.issues.slice(0, query.limit - found.length)) found.push(toTicket(issue))
          if (onPage !== undefined) yield* onPage(found.length)
          token = answer.isLast === true ? null : answer.nextPageToken
          if (token === null || found.length >= query.limit) return found
        }
        return yield* new TicketingError({ provider: PROVIDER, operation: "search issues", detail: `more than ${MAX_PAGES} pages for ${quote(jql)}` })
      })

    const create = (fresh: NewTicket) =>
      Effect.gen(function* () {
        const project = fresh.project ?? options.projectKey
        if (project === "") {
          return yield* new TicketingError({ provider: PROVIDER, operation: "create issue", detail: "no project: set [jira] project_key" })
        }
        const fields = { project: { key: project }, summary: fresh.title, description: toAdf(fresh.description), issuetype: { name: options.issueType } }
        const created = yield* call("create issue", HttpClientRequest.post(url("/issue")).pipe(json({ fields })), Wire.Created)
        return yield* get(ticketId(PROVIDER, created.key), "create issue")
      })

    /** Jira moves an issue by a transition; the one whose target is the mapped status is taken. */
    const updateState = (id: TicketId, state: WorkflowState) =>
      Effect.gen(function* () {
        const name = yield* mappedStateName(PROVIDER, options.stateMap, state)
        const current = yield* get(id, "update state")
        if (current.state.name.toLowerCase() === name.toLowerCase()) return current
        const path = yield* issuePath(id, "update state", "/transitions")
        const { transitions } = yield* call("read transitions", HttpClientRequest.get(url(path)), Wire.Transitions)
        const targets = transitions.map((t) => ({ name: t.to.name, id: t.id }))
        const target = yield* findStateByName(PROVIDER, targets, name, `${current.identifier}'s transitions`)
        yield* call("update state", HttpClientRequest.post(url(path)).pipe(json({ transition: { id: target.id } })), Wire.NoContent)
        return yield* get(id, "update state")
      })

    const post = (operation: string, rest: string, body: unknown) => (id: TicketId) =>
      Effect.flatMap(issuePath(id, operation, rest), (path) =>
        Effect.asVoid(call(operation, HttpClientRequest.post(url(path)).pipe(json(body)), Wire.Anything))
      )

    const updateDescription = (id: TicketId, description: string) =>
      Effect.flatMap(issuePath(id, "update description"), (path) =>
        Effect.asVoid(call("update description", HttpClientRequest.put(url(path)).pipe(json({ fields: { description: toAdf(description) } })), Wire.NoContent))
      )

    const health: Effect.Effect<string, TicketingFailure> = Effect.map(myself, (me) => `jira: signed in as ${me.displayName}`)

    return Ticketing.of({
      provider: PROVIDER,
      list,
      get: (id) => get(id),
      create,
      updateState,
      updateDescription,
      addComment: (id, body) => post("add comment", "/comment", { body: toAdf(body) })(id),
      // The URL as globalId: posting the same link again updates it instead of adding a second.
      attachLink: (id, link, title) => post("attach link", "/remotelink", { globalId: link, object: { url: link, title } })(id),
      health
    })
  })

/** Jira Cloud from the configuration; needs JIRA_API_TOKEN (the config falls back to local without it) and JIRA_EMAIL. */
export const JiraLive = Layer.effect(
  Ticketing,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const fail = (detail: string) => new TicketingError({ provider: PROVIDER, operation: "start", detail })
    const apiToken = yield* Option.match(config.secrets.jiraApiToken ?? Option.none(), {
      onNone: () => Effect.fail(fail(`${ENV_VAR} is not set`)),
      onSome: Effect.succeed
    })
    const email = yield* Config.string("JIRA_EMAIL").pipe(Effect.mapError(() => fail("JIRA_EMAIL is not set (the Atlassian account's email)")))
    const settings = config.settings.jira
    if (settings.base_url === "") return yield* fail("[jira] base_url is not set (e.g. https://acme.atlassian.net)")
    return yield* makeJira({
      baseUrl: settings.base_url,
      email,
      apiToken,
      projectKey: settings.project_key,
      issueType: settings.issue_type,
      stateMap: config.settings.tracker.workflow_state_map,
      retry: defaultTrackerRetryPolicy,
      pageSize: settings.fetch_limit
    })
  })
)

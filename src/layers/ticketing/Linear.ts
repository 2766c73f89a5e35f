import { HttpClient, HttpClientRequest } from "@effect/platform"
import { type Context, DateTime, Effect, Layer, Option, Redacted, Ref, Schema } from "effect"
import type { TrackerSettings } from "../../domain/config.js"
import { TicketingAuthError, TicketingError } from "../../domain/errors.js"
import type { TicketId } from "../../domain/ids.js"
import { Ticket, TicketState } from "../../domain/ticket.js"
import { AppConfig } from "../../services/AppConfig.js"
import { type PageProgress, Ticketing, type TicketingFailure, type TicketQuery } from "../../services/Ticketing.js"
import { decodeAnswer } from "./decodeAnswer.js"
import { TransientFault } from "../http/retry.js"
import { retryAfter } from "../http/retryAfter.js"
import { type CallSite, defaultTrackerRetryPolicy, quote, send, type TrackerRetryPolicy, withRetry } from "./httpCall.js"
import * as Wire from "./linearWire.js"
import { findStateByName, mappedStateName, rawId, ticketId } from "./ticketNaming.js"

export interface LinearOptions {
  readonly apiUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly settings: typeof TrackerSettings.Type
  readonly retry: TrackerRetryPolicy
  /** Issues per GraphQL page, `[linear] fetch_limit` (at most `linearMaxPageSize`). */
  readonly pageSize: number
}

/** Linear refuses a larger `first`. */
export const linearMaxPageSize = 250

const PROVIDER = "linear"
const ENV_VAR = "LINEAR_API_KEY"

/** The node was decoded by `IssueNode` already: re-validating in the constructor would double the cost of a sync. */
export const issueToTicket = (node: Wire.IssueNode): Ticket =>
  new Ticket({
    id: ticketId("linear", node.id),
    provider: "linear",
    identifier: node.identifier,
    title: node.title,
    description: node.description ?? "",
    url: node.url,
    priority: node.priority,
    state: new TicketState({ name: node.state.name, type: node.state.type }, true),
    project: node.project?.name ?? null,
    team: node.team.key,
    labels: node.labels.nodes.map((label) => label.name),
    assignee: node.assignee?.name ?? null,
    updatedAt: DateTime.toEpochMillis(node.updatedAt)
  }, true)

const decodeErrors = Schema.decodeUnknownOption(Wire.GraphqlErrors)

const issuesFilter = (query: TicketQuery): Record<string, unknown> => ({
  ...(query.assignedToMe ? { assignee: { isMe: { eq: true } } } : {}),
  ...(query.states.length > 0 ? { state: { name: { in: query.states } } } : {}),
  ...(query.search !== null && query.search !== "" ? { title: { containsIgnoreCase: query.search } } : {}),
  // DateComparator `gte` takes an ISO 8601 date-time (PROTOCOLS.md, Linear).
  ...(query.updatedSince === undefined ? {} : { updatedAt: { gte: query.updatedSince.toISOString() } })
})

export const makeLinear = (options: LinearOptions) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    // Workflow states per team id: teams rarely change them, and every state move needs them.
    const statesByTeam = yield* Ref.make(new Map<string, ReadonlyArray<Wire.LinearWorkflowState>>())

    const graphql = <A, I>(
      operation: string,
      query: string,
      variables: Record<string, unknown>,
      answer: Schema.Schema<A, I, never>
    ): Effect.Effect<A, TicketingFailure> => {
      const site: CallSite = { provider: PROVIDER, operation, envVar: ENV_VAR }
      const request = HttpClientRequest.post(options.apiUrl).pipe(
        HttpClientRequest.setHeader("authorization", Redacted.value(options.apiKey)),
        HttpClientRequest.bodyUnsafeJson({ query, variables })
      )
      const attempt = Effect.gen(function* () {
        const reply = yield* send(client, request, site, options.retry)
        const errors = decodeErrors(reply.json)
        if (Option.isSome(errors) && errors.value.errors.length > 0) {
          const codes = errors.value.errors.map((e) => e.extensions?.code ?? e.extensions?.type ?? "")
          if (codes.includes("RATELIMITED")) {
            return yield* new TransientFault({
              reason: `rate limited (HTTP ${reply.status} RATELIMITED)`,
              retryAfter: retryAfter(reply.headers, yield* DateTime.now.pipe(Effect.map(DateTime.toEpochMillis)))
            })
          }
          if (codes.some((code) => /^AUTHENTICATION/i.test(code))) {
            return yield* new TicketingAuthError({ provider: PROVIDER, envVar: ENV_VAR, status: reply.status })
          }
          return yield* new TicketingError({
            provider: PROVIDER,
            operation,
            detail: errors.value.errors.map((e) => e.message).join("; ")
          })
        }
        if (reply.status >= 400) {
          return yield* new TicketingError({ provider: PROVIDER, operation, detail: `HTTP ${reply.status}: ${quote(reply.text)}` })
        }
        return yield* decodeAnswer(answer, site)(reply.json)
      })
      return withRetry(options.retry, PROVIDER, operation, attempt)
    }

    const failed = (operation: string, detail: string) => new TicketingError({ provider: PROVIDER, operation, detail })

    const issue = (id: TicketId, operation: string) =>
      Effect.gen(function* () {
        const raw = yield* rawId("linear", id, operation)
        const answer = yield* graphql(operation, Wire.ISSUE_QUERY, { id: raw }, Wire.IssueAnswer)
        return answer.data.issue ?? (yield* failed(operation, `no issue ${raw}`))
      })

    const teamStates = (teamId: string) =>
      Effect.gen(function* () {
        const cached = (yield* Ref.get(statesByTeam)).get(teamId)
        if (cached !== undefined) return cached
        const answer = yield* graphql("read workflow states", Wire.WORKFLOW_STATES_QUERY, { teamId }, Wire.WorkflowStatesAnswer)
        const states = answer.data.workflowStates.nodes
        yield* Ref.update(statesByTeam, (map) => new Map(map).set(teamId, states))
        return states
      })

    const list = (query: TicketQuery, onPage?: PageProgress) =>
      Effect.gen(function* () {
        const filter = issuesFilter(query)
        const tickets: Array<Ticket> = []
        let after: string | null = null
        while (tickets.length < query.limit) {
          const first = Math.min(options.pageSize, linearMaxPageSize, query.limit - tickets.length)
          const page: typeof Wire.IssuesAnswer.Type = yield* graphql("list issues", Wire.ISSUES_QUERY, { first, after, filter }, Wire.IssuesAnswer)
          const { nodes, pageInfo } = page.data.issues
          tickets.push(...nodes.map(issueToTicket))
          if (onPage !== undefined) yield* onPage(tickets.length)
          // An empty page that claims more would loop forever: stop on it.
          if (!pageInfo.hasNextPage || pageInfo.endCursor === null || nodes.length === 0) break
          after = pageInfo.endCursor
        }
        return tickets
      })

    const create = (ticket: { readonly title: string; readonly description: string; readonly project: string | null }) =>
      Effect.gen(function* () {
        const teams = (yield* graphql("list teams", Wire.TEAMS_QUERY, {}, Wire.TeamsAnswer)).data.teams.nodes
        const wanted = ticket.project?.toLowerCase()
        const team =
          teams.find((t) => wanted !== undefined && (t.key.toLowerCase() === wanted || t.name.toLowerCase() === wanted)) ?? teams[0]
        if (team === undefined) return yield* failed("create issue", "the workspace has no team")
        const answer = yield* graphql(
          "create issue",
          Wire.ISSUE_CREATE_MUTATION,
          { input: { teamId: team.id, title: ticket.title, description: ticket.description } },
          Wire.IssueCreateAnswer
        )
        const created = answer.data.issueCreate.issue
        if (!answer.data.issueCreate.success || created === null) return yield* failed("create issue", "Linear did not create it")
        return issueToTicket(created)
      })

    const updateState: Context.Tag.Service<Ticketing>["updateState"] = (id, state) =>
      Effect.gen(function* () {
        const name = yield* mappedStateName("linear", options.settings.workflow_state_map, state)
        const current = yield* issue(id, "update state")
        const states = yield* teamStates(current.team.id)
        const target = yield* findStateByName("linear", states, name, `team ${current.team.key}`)
        const answer = yield* graphql(
          "update state",
          Wire.ISSUE_UPDATE_MUTATION,
          { id: current.id, input: { stateId: target.id } },
          Wire.IssueUpdateAnswer
        )
        const updated = answer.data.issueUpdate.issue
        if (!answer.data.issueUpdate.success || updated === null) return yield* failed("update state", "Linear refused the update")
        return issueToTicket(updated)
      })

    const updateDescription = (id: TicketId, description: string) =>
      Effect.gen(function* () {
        const raw = yield* rawId("linear", id, "update description")
        const answer = yield* graphql("update description", Wire.ISSUE_UPDATE_MUTATION, { id: raw, input: { description } }, Wire.IssueUpdateAnswer)
        if (!answer.data.issueUpdate.success) return yield* failed("update description", "Linear refused the update")
      })

    const addComment = (id: TicketId, body: string) =>
      Effect.gen(function* () {
        const raw = yield* rawId("linear", id, "add comment")
        const answer = yield* graphql("add comment", Wire.COMMENT_CREATE_MUTATION, { input: { issueId: raw, body } }, Wire.CommentCreateAnswer)
        if (!answer.data.commentCreate.success) return yield* failed("add comment", "Linear refused the comment")
      })

    const attachLink = (id: TicketId, url: string, title: string) =>
      Effect.gen(function* () {
        // `workflow_attach_pr_links = false`: the person does not want links on their issues.
        if (!options.settings.workflow_attach_pr_links) return
        const raw = yield* rawId("linear", id, "attach link")
        const answer = yield* graphql("attach link", Wire.ATTACH_LINK_MUTATION, { issueId: raw, url, title }, Wire.AttachLinkAnswer)
        if (!answer.data.attachmentLinkURL.success) return yield* failed("attach link", "Linear refused the link")
      })

    const health = graphql("health check", Wire.VIEWER_QUERY, {}, Wire.ViewerAnswer).pipe(
      Effect.map((answer) => `linear: signed in as ${answer.data.viewer.name}`)
    )

    return Ticketing.of({
      provider: "linear",
      list,
      get: (id) => Effect.map(issue(id, "get issue"), issueToTicket),
      create,
      updateState,
      updateDescription,
      addComment,
      attachLink,
      health
    })
  })

/** Linear from the configuration; needs LINEAR_API_KEY (the config falls back to local without it). */
export const LinearLive = Layer.effect(
  Ticketing,
  Effect.gen(function* () {
    const config = yield* AppConfig
    const apiKey = yield* Option.match(config.secrets.linearApiKey, {
      onNone: () => Effect.fail(new TicketingError({ provider: PROVIDER, operation: "start", detail: `${ENV_VAR} is not set` })),
      onSome: Effect.succeed
    })
    return yield* makeLinear({
      apiUrl: config.settings.linear.api_url,
      apiKey,
      settings: config.settings.tracker,
      retry: defaultTrackerRetryPolicy,
      pageSize: Math.min(config.settings.linear.fetch_limit, linearMaxPageSize)
    })
  })
)

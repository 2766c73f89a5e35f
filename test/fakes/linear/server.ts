import { Effect } from "effect"
import { byUpdatedDesc, type FakeReply, type FakeRequest, type JsonServer, startJsonServer } from "./jsonServer.js"

/**
 * A Linear GraphQL fake speaking the real wire format (PROTOCOLS.md, Linear): the root field of
 * the document picks the answer, `first/after` paginate, `filter` narrows, errors look like Linear's.
 */

export type LinearFault =
  | { readonly kind: "429"; readonly retryAfter?: string }
  | { readonly kind: "ratelimited400" }
  | { readonly kind: "500" }
  | { readonly kind: "hang" }

export interface FakeTeam {
  readonly id: string
  readonly key: string
  readonly name: string
  readonly states: ReadonlyArray<{ readonly id: string; readonly name: string; readonly type: string }>
}

/** An issue as Linear sends it; `node` may be deliberately malformed. */
export interface FakeIssue {
  node: Record<string, unknown>
  readonly mine: boolean
}

export interface LinearFakeOptions {
  readonly apiKey: string
  readonly issues?: ReadonlyArray<FakeIssue>
  readonly faults?: ReadonlyArray<LinearFault>
  readonly latencyMs?: number
}

export interface LinearFake {
  readonly url: string
  readonly issues: Array<FakeIssue>
  /** Faults served, in order, before normal answers resume. */
  readonly faults: Array<LinearFault>
  readonly comments: Array<{ readonly issueId: string; readonly body: string }>
  readonly attachments: Array<{ readonly issueId: string; readonly url: string; readonly title: string }>
  /** Every request's operation root field, in order ("issues", "issueUpdate", ...). */
  readonly calls: Array<string>
  readonly close: () => Promise<void>
}

export const engTeam: FakeTeam = {
  id: "team-eng",
  key: "ENG",
  name: "Engineering",
  states: [
    { id: "st-backlog", name: "Backlog", type: "backlog" },
    { id: "st-todo", name: "Todo", type: "unstarted" },
    { id: "st-progress", name: "In Progress", type: "started" },
    { id: "st-review", name: "In Review", type: "started" },
    { id: "st-done", name: "Done", type: "completed" },
    { id: "st-canceled", name: "Canceled", type: "canceled" }
  ]
}

const stateOf = (name: string) => engTeam.states.find((s) => s.name === name) ?? engTeam.states[1]

/** A well-formed issue node of team ENG; `n` makes id, identifier and time unique. */
export const linearIssue = (
  n: number,
  overrides: { title?: string; description?: string | null; state?: string; mine?: boolean; labels?: ReadonlyArray<string> } = {}
): FakeIssue => ({
  mine: overrides.mine ?? true,
  node: {
    id: `issue-${n}`,
    identifier: `ENG-${n}`,
    title: overrides.title ?? `Issue number ${n}`,
    description: overrides.description === undefined ? `Description of issue ${n}` : overrides.description,
    url: `https://linear.app/acme/issue/ENG-${n}`,
    priority: n % 5,
    updatedAt: new Date(Date.UTC(2025, 0, 1) + n * 60_000).toISOString(),
    branchName: `eng-${n}`,
    state: stateOf(overrides.state ?? "Todo"),
    team: { id: engTeam.id, key: engTeam.key, name: engTeam.name },
    project: n % 2 === 0 ? { id: "proj-web", name: "Web" } : null,
    labels: { nodes: (overrides.labels ?? ["bug"]).map((name) => ({ name })) },
    assignee: { id: "user-me", name: "Me Myself" }
  }
})

const gqlError = (status: number, message: string, code: string, headers: Record<string, string> = {}): FakeReply => ({
  status,
  headers,
  body: { errors: [{ message, extensions: { code } }] }
})

interface Body {
  readonly query: string
  readonly variables: Record<string, unknown>
}

const asBody = (value: unknown): Body | undefined => {
  if (typeof value !== "object" || value === null || !("query" in value) || typeof value.query !== "string") return undefined
  const variables = "variables" in value && typeof value.variables === "object" && value.variables !== null ? value.variables : {}
  return { query: value.query, variables: { ...variables } }
}

const field = (value: unknown, ...path: ReadonlyArray<string>): unknown =>
  path.reduce<unknown>((current, key) => (typeof current === "object" && current !== null ? Reflect.get(current, key) : undefined), value)

const ROOT_FIELDS = [
  "issueUpdate",
  "issueCreate",
  "commentCreate",
  "attachmentLinkURL",
  "workflowStates",
  "issues",
  "issue",
  "teams",
  "viewer"
] as const

const rootField = (query: string) => ROOT_FIELDS.find((name) => new RegExp(`\\b${name}\\b\\s*[({]`).test(query))

export const startLinearFake = async (options: LinearFakeOptions): Promise<LinearFake> => {
  const issues: Array<FakeIssue> = [...(options.issues ?? [])]
  const faults: Array<LinearFault> = [...(options.faults ?? [])]
  const comments: LinearFake["comments"] = []
  const attachments: LinearFake["attachments"] = []
  const calls: Array<string> = []

  const byId = (id: unknown) => issues.find((issue) => issue.node["id"] === id)
  const touch = (issue: FakeIssue) => {
    issue.node = { ...issue.node, updatedAt: new Date().toISOString() }
  }

  const list = (variables: Record<string, unknown>): FakeReply => {
    const first = typeof variables["first"] === "number" ? variables["first"] : 50
    const after = typeof variables["after"] === "string" ? Number(variables["after"]) : 0
    const filter = variables["filter"]
    const states = field(filter, "state", "name", "in")
    const search = field(filter, "title", "containsIgnoreCase")
    const since = field(filter, "updatedAt", "gte")
    if (since !== undefined && (typeof since !== "string" || Number.isNaN(Date.parse(since)))) {
      return gqlError(400, `Argument Validation Error: updatedAt.gte must be a DateTime, got ${JSON.stringify(since)}`, "INVALID_INPUT")
    }
    const matching = issues
      .filter((issue) => field(filter, "assignee", "isMe", "eq") !== true || issue.mine)
      .filter((issue) => !Array.isArray(states) || states.includes(field(issue.node, "state", "name")))
      .filter(
        (issue) =>
          typeof search !== "string" || String(issue.node["title"]).toLowerCase().includes(search.toLowerCase())
      )
      // Compared as instants, as Linear does: the ISO strings may differ in precision or offset.
      .filter((issue) => typeof since !== "string" || Date.parse(String(issue.node["updatedAt"])) >= Date.parse(since))
      .sort((a, b) => byUpdatedDesc(String(a.node["updatedAt"]), String(b.node["updatedAt"])))
    const page = matching.slice(after, after + first)
    const end = after + page.length
    return {
      status: 200,
      body: {
        data: {
          issues: {
            nodes: page.map((issue) => issue.node),
            pageInfo: { hasNextPage: end < matching.length, endCursor: page.length > 0 ? String(end) : null }
          }
        }
      }
    }
  }

  const answer = (name: (typeof ROOT_FIELDS)[number], variables: Record<string, unknown>): FakeReply => {
    const ok = (data: unknown): FakeReply => ({ status: 200, body: { data: { [name]: data } } })
    switch (name) {
      case "issues":
        return list(variables)
      case "issue":
        return ok(byId(variables["id"])?.node ?? null)
      case "viewer":
        return ok({ id: "user-me", name: "Me Myself" })
      case "teams":
        return ok({ nodes: [{ id: engTeam.id, key: engTeam.key, name: engTeam.name }] })
      case "workflowStates":
        return ok({ nodes: variables["teamId"] === engTeam.id ? engTeam.states : [] })
      case "issueUpdate": {
        const issue = byId(variables["id"])
        if (issue === undefined) return gqlError(400, "Entity not found: Issue", "INVALID_INPUT")
        const stateId = field(variables, "input", "stateId")
        const description = field(variables, "input", "description")
        const state = engTeam.states.find((s) => s.id === stateId)
        if (state !== undefined) issue.node = { ...issue.node, state }
        if (typeof description === "string") issue.node = { ...issue.node, description }
        touch(issue)
        return ok({ success: true, issue: issue.node })
      }
      case "issueCreate": {
        const n = issues.length + 1000
        const created = linearIssue(n, {
          title: String(field(variables, "input", "title")),
          description: String(field(variables, "input", "description") ?? "")
        })
        created.node = { ...created.node, project: null, labels: { nodes: [] }, assignee: null }
        issues.push(created)
        return ok({ success: true, issue: created.node })
      }
      case "commentCreate": {
        const issueId = String(field(variables, "input", "issueId"))
        if (byId(issueId) === undefined) return gqlError(400, "Entity not found: Issue", "INVALID_INPUT")
        comments.push({ issueId, body: String(field(variables, "input", "body")) })
        return ok({ success: true })
      }
      case "attachmentLinkURL": {
        const issueId = String(variables["issueId"])
        if (byId(issueId) === undefined) return gqlError(400, "Entity not found: Issue", "INVALID_INPUT")
        attachments.push({ issueId, url: String(variables["url"]), title: String(variables["title"]) })
        return ok({ success: true })
      }
    }
  }

  const handle = (request: FakeRequest): FakeReply | "hang" => {
    if (request.method !== "POST" || request.url !== "/graphql") return { status: 404, body: "Not Found" }
    if (request.headers["authorization"] !== options.apiKey) {
      return gqlError(401, "Authentication required, not authenticated", "AUTHENTICATION_ERROR")
    }
    const fault = faults.shift()
    if (fault !== undefined) {
      calls.push(`fault:${fault.kind}`)
      switch (fault.kind) {
        case "429":
          return gqlError(429, "Rate limit exceeded", "RATELIMITED", fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter })
        case "ratelimited400":
          return gqlError(400, "Rate limit exceeded", "RATELIMITED", { "x-ratelimit-requests-remaining": "0" })
        case "500":
          return { status: 500, body: "Internal Server Error" }
        case "hang":
          return "hang"
      }
    }
    const body = asBody(request.body)
    const name = body === undefined ? undefined : rootField(body.query)
    if (body === undefined || name === undefined) return gqlError(400, "Syntax Error: Unexpected <EOF>.", "GRAPHQL_PARSE_FAILED")
    calls.push(name)
    return answer(name, body.variables)
  }

  const server: JsonServer = await startJsonServer(handle, options.latencyMs ?? 0)
  return { url: `${server.url}/graphql`, issues, faults, comments, attachments, calls, close: server.close }
}

/** The fake as a scoped resource: closed (and its sockets dropped) when the scope ends. */
export const linearFake = (options: LinearFakeOptions) =>
  Effect.acquireRelease(
    Effect.promise(() => startLinearFake(options)),
    (fake) => Effect.promise(() => fake.close())
  )

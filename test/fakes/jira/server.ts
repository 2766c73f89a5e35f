import { Effect } from "effect"
import { byUpdatedDesc, type FakeReply, type FakeRequest, startJsonServer } from "../linear/jsonServer.js"

/**
 * A Jira Cloud REST v3 fake (developer.atlassian.com/cloud/jira/platform/rest/v3): Basic auth with email and API token,
 * `POST /search/jql` reading the JQL orchestrator writes (project, assignee = currentUser(),
 * status in, text ~, updated >=, ORDER BY) with `nextPageToken` paging (the key left out on the
 * last page, as Jira does), transitions, issues with ADF descriptions, comments and remote links.
 */

export type JiraFault =
  | { readonly kind: "429"; readonly retryAfter?: string }
  | { readonly kind: "500" }
  | { readonly kind: "malformed" }

export interface JiraFakeOptions {
  readonly email: string
  readonly apiToken: string
  readonly issues?: ReadonlyArray<Record<string, unknown>>
  readonly faults?: ReadonlyArray<JiraFault>
  /** The person's time zone, in which JQL dates are read. */
  readonly timeZone?: string
}

export interface JiraFake {
  /** The site, as `[jira] base_url` takes it. */
  readonly url: string
  readonly issues: Array<Record<string, unknown>>
  readonly faults: Array<JiraFault>
  readonly comments: Array<{ readonly key: string; readonly body: unknown }>
  readonly remoteLinks: Array<{ readonly key: string; readonly globalId: string }>
  /** "METHOD /path" of every request served, faults as `fault:<kind>`; search bodies' JQL in `jql`. */
  readonly calls: Array<string>
  readonly jql: Array<string>
  readonly close: () => Promise<void>
}

export const JIRA_ME = { accountId: "557058:me", displayName: "Me Myself", emailAddress: "me@example.test" }

export const jiraStatuses = [
  { id: "1", name: "Todo", statusCategory: { key: "new" } },
  { id: "2", name: "In Progress", statusCategory: { key: "indeterminate" } },
  { id: "3", name: "In Review", statusCategory: { key: "indeterminate" } },
  { id: "4", name: "Done", statusCategory: { key: "done" } },
  { id: "5", name: "Canceled", statusCategory: { key: "done" } }
] as const

const status = (name: string) => jiraStatuses.find((s) => s.name === name) ?? jiraStatuses[0]

export const adfText = (text: string) => ({
  type: "doc",
  version: 1,
  content: text.split("\n").map((line) => ({ type: "paragraph", content: line === "" ? [] : [{ type: "text", text: line }] }))
})

const plain = (doc: unknown): string =>
  typeof doc !== "object" || doc === null
    ? ""
    : [Reflect.get(doc, "text"), ...((Reflect.get(doc, "content") as Array<unknown> | undefined) ?? []).map(plain)].filter((t) => typeof t === "string").join(" ")

/** Jira's own timestamp shape: milliseconds and an offset without a colon. */
const jiraTime = (millis: number) => new Date(millis).toISOString().replace("Z", "+0000")

export const jiraIssue = (
  n: number,
  overrides: { summary?: string; description?: string; status?: string; mine?: boolean; project?: string } = {}
): Record<string, unknown> => {
  const key = `${overrides.project ?? "ENG"}-${n}`
  return {
    id: String(10000 + n),
    key,
    self: `/rest/api/3/issue/${10000 + n}`,
    fields: {
      summary: overrides.summary ?? `Issue number ${n}`,
      description: adfText(overrides.description ?? `Description of issue ${n}`),
      status: status(overrides.status ?? "Todo"),
      labels: ["backend"],
      assignee: overrides.mine === false ? { accountId: "557058:other", displayName: "Someone Else" } : { ...JIRA_ME },
      updated: jiraTime(Date.UTC(2025, 0, 1) + n * 60_000),
      project: { key: overrides.project ?? "ENG" },
      priority: { name: "Medium" }
    }
  }
}

interface Filter {
  readonly keep: (issue: Record<string, unknown>) => boolean
}

/** Reads `yyyy/MM/dd HH:mm` in `timeZone` as an instant (the offset found by one correction). */
const instantIn = (text: string, timeZone: string): number => {
  const [date = "", time = "00:00"] = text.split(" ")
  const asUtc = Date.parse(`${date.replace(/\//g, "-")}T${time}:00Z`)
  const shown = new Date(new Date(asUtc).toLocaleString("en-US", { timeZone })).getTime()
  const utcShown = new Date(new Date(asUtc).toLocaleString("en-US", { timeZone: "UTC" })).getTime()
  return asUtc - (shown - utcShown)
}

const fieldsOf = (issue: Record<string, unknown>) => issue["fields"] as Record<string, unknown>
const unquote = (text: string) => text.slice(1, -1).replace(/\\(.)/g, "$1")
const STRING = String.raw`"(?:[^"\\]|\\.)*"`

/** The clauses orchestrator writes; anything else is a 400, as Jira answers a JQL it cannot parse. */
const parseJql = (jql: string, timeZone: string): Filter | string => {
  const [where = "", order] = jql.split(/ ORDER BY /)
  if (order !== undefined && order.trim() !== "updated DESC") return `unsupported ORDER BY ${order}`
  const filters: Array<(issue: Record<string, unknown>) => boolean> = []
  let bounded = false
  for (const clause of where.split(/ AND (?=(?:[^"\\]|\\.|"(?:[^"\\]|\\.)*")*$)/)) {
    const c = clause.trim()
    let m: RegExpExecArray | null
    if ((m = new RegExp(`^project = (${STRING})$`).exec(c))) {
      const key = unquote(m[1] ?? "")
      filters.push((i) => (fieldsOf(i)["project"] as { key: string }).key === key)
      bounded = true
    } else if (c === "assignee = currentUser()") {
      filters.push((i) => (fieldsOf(i)["assignee"] as { accountId?: string } | null)?.accountId === JIRA_ME.accountId)
      bounded = true
    } else if ((m = /^status in \((.*)\)$/.exec(c))) {
      const names = [...(m[1] ?? "").matchAll(new RegExp(STRING, "g"))].map((s) => unquote(s[0]).toLowerCase())
      filters.push((i) => names.includes((fieldsOf(i)["status"] as { name: string }).name.toLowerCase()))
      bounded = true
    } else if ((m = new RegExp(`^text ~ (${STRING})$`).exec(c))) {
      const words = unquote(m[1] ?? "").toLowerCase().split(/\s+/)
      filters.push((i) => words.every((w) => `${String(fieldsOf(i)["summary"])} ${plain(fieldsOf(i)["description"])}`.toLowerCase().includes(w)))
      bounded = true
    } else if ((m = new RegExp(`^updated >= (${STRING})$`).exec(c))) {
      const since = instantIn(unquote(m[1] ?? ""), timeZone)
      filters.push((i) => Date.parse(String(fieldsOf(i)["updated"]).replace(/(\d\d)(\d\d)$/, "$1:$2")) >= since)
      bounded = true
    } else if (c === "updated >= -36500d") {
      bounded = true
    } else {
      return `Error in the JQL Query: unsupported clause ${c}`
    }
  }
  if (!bounded) return "Unbounded JQL queries are not allowed here. Please add a search restriction to your query."
  return { keep: (issue) => filters.every((f) => f(issue)) }
}

const BASE = "/rest/api/3"

export const startJiraFake = async (options: JiraFakeOptions): Promise<JiraFake> => {
  const issues = [...(options.issues ?? [])]
  const faults = [...(options.faults ?? [])]
  const comments: JiraFake["comments"] = []
  const remoteLinks: JiraFake["remoteLinks"] = []
  const calls: Array<string> = []
  const jqls: Array<string> = []
  const timeZone = options.timeZone ?? "UTC"
  const expected = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString("base64")}`
  const byKey = (key: string | undefined) => issues.find((i) => i["key"] === key || i["id"] === key)
  const notFound: FakeReply = { status: 404, body: { errorMessages: ["Issue does not exist or you do not have permission to see it."], errors: {} } }
  const bad = (message: string): FakeReply => ({ status: 400, body: { errorMessages: [message], errors: {} } })
  const touch = (issue: Record<string, unknown>) => {
    fieldsOf(issue)["updated"] = jiraTime(Date.now())
  }

  const search = (body: Record<string, unknown>): FakeReply => {
    const jql = String(body["jql"] ?? "")
    jqls.push(jql)
    const parsed = parseJql(jql, timeZone)
    if (typeof parsed === "string") return bad(parsed)
    const size = Number(body["maxResults"] ?? 50)
    if (!Number.isInteger(size) || size < 1) return bad("maxResults must be a positive integer")
    const token = body["nextPageToken"]
    const offset = typeof token === "string" ? Number(Buffer.from(token, "base64url").toString("utf8").replace("offset:", "")) : 0
    if (Number.isNaN(offset)) return bad("Invalid nextPageToken")
    const matching = issues
      .filter(parsed.keep)
      .sort((a, b) => byUpdatedDesc(String(fieldsOf(a)["updated"]), String(fieldsOf(b)["updated"])))
    const page = matching.slice(offset, offset + Math.min(size, 100))
    const end = offset + page.length
    const more = end < matching.length
    return {
      status: 200,
      body: {
        issues: page,
        isLast: !more,
        // Left out on the last page (JRACLOUD-92184), not null.
        ...(more ? { nextPageToken: Buffer.from(`offset:${end}`).toString("base64url") } : {})
      }
    }
  }

  const handle = (request: FakeRequest): FakeReply | "hang" => {
    const target = new URL(request.url, "http://fake")
    if (!target.pathname.startsWith(BASE)) return { status: 404, body: "<html>Not Found</html>" }
    if (request.headers["authorization"] !== expected) {
      return { status: 401, headers: { "www-authenticate": 'Basic realm="protected-area"' }, body: "Client must be authenticated to access this resource." }
    }
    const fault = faults.shift()
    if (fault !== undefined) {
      calls.push(`fault:${fault.kind}`)
      if (fault.kind === "500") return { status: 500, body: { errorMessages: ["Internal server error"] } }
      if (fault.kind === "malformed") return { status: 200, body: '{"issues": [{"key": ' }
      return { status: 429, headers: fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter }, body: { errorMessages: ["Rate limit exceeded."] } }
    }
    const path = target.pathname.slice(BASE.length)
    calls.push(`${request.method} ${path}`)
    const body = typeof request.body === "object" && request.body !== null ? (request.body as Record<string, unknown>) : {}
    if (request.method === "GET" && path === "/myself") return { status: 200, body: { ...JIRA_ME, timeZone, active: true } }
    if (request.method === "POST" && path === "/search/jql") return search(body)
    if (request.method === "POST" && path === "/issue") {
      const fields = (body["fields"] ?? {}) as Record<string, unknown>
      if (typeof fields["summary"] !== "string" || fields["summary"] === "") return bad("summary: You must specify a summary of the issue.")
      const project = (fields["project"] as { key?: string } | undefined)?.key ?? "ENG"
      const created = jiraIssue(issues.length + 9000, { project })
      Object.assign(fieldsOf(created), { summary: fields["summary"], description: fields["description"] ?? null })
      touch(created)
      issues.push(created)
      return { status: 201, body: { id: created["id"], key: created["key"], self: created["self"] } }
    }
    const match = /^\/issue\/([^/]+)(\/transitions|\/comment|\/remotelink)?$/.exec(path)
    if (match === null) return { status: 404, body: { errorMessages: ["Not found"] } }
    const issue = byKey(decodeURIComponent(match[1] ?? ""))
    if (issue === undefined) return notFound
    const key = String(issue["key"])
    switch (`${request.method} ${match[2] ?? ""}`) {
      case "GET ":
        return { status: 200, body: issue }
      case "PUT ": {
        Object.assign(fieldsOf(issue), (body["fields"] ?? {}) as object)
        touch(issue)
        return { status: 204 }
      }
      case "GET /transitions":
        return {
          status: 200,
          body: { transitions: jiraStatuses.map((s, n) => ({ id: String(11 + n * 10), name: `Move to ${s.name}`, to: s, isAvailable: true })) }
        }
      case "POST /transitions": {
        const id = (body["transition"] as { id?: string } | undefined)?.id
        const to = jiraStatuses.find((_, n) => String(11 + n * 10) === id)
        if (to === undefined) return bad(`Transition id '${String(id)}' is not valid for this issue.`)
        fieldsOf(issue)["status"] = to
        touch(issue)
        return { status: 204 }
      }
      case "POST /comment":
        comments.push({ key, body: body["body"] })
        return { status: 201, body: { id: String(comments.length), body: body["body"] } }
      case "POST /remotelink": {
        const globalId = String(body["globalId"] ?? "")
        const existing = remoteLinks.findIndex((l) => l.key === key && l.globalId === globalId)
        if (existing === -1) remoteLinks.push({ key, globalId })
        return { status: existing === -1 ? 201 : 200, body: { id: remoteLinks.length, self: `${BASE}/issue/${key}/remotelink/${remoteLinks.length}` } }
      }
    }
    return { status: 405, body: { errorMessages: ["Method not allowed"] } }
  }

  const server = await startJsonServer(handle)
  return { url: server.url, issues, faults, comments, remoteLinks, calls, jql: jqls, close: server.close }
}

export const jiraFake = (options: JiraFakeOptions) =>
  Effect.acquireRelease(
    Effect.promise(() => startJiraFake(options)),
    (fake) => Effect.promise(() => fake.close())
  )

import { CommandExecutor } from "@effect/platform"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { DateTime, Effect, Layer, Ref } from "effect"
import { TicketingError } from "../../domain/errors.js"
import type { TicketId } from "../../domain/ids.js"
import { TicketListingIncomplete } from "../../domain/ticketListing.js"
import { Ticket, TicketState } from "../../domain/ticket.js"
import type { WorkflowState } from "../../domain/workflow.js"
import { AppConfig } from "../../services/AppConfig.js"
import { type NewTicket, type PageProgress, Ticketing, type TicketingFailure, type TicketQuery } from "../../services/Ticketing.js"
import { makeGhRunner } from "./githubCli.js"
import { githubMove, githubState, githubStateNames, sameName, staleStateLabels } from "./githubStates.js"
import * as Wire from "./githubWire.js"
import { defaultTrackerRetryPolicy, type TrackerRetryPolicy } from "./httpCall.js"
import { mappedStateName, rawId, ticketId } from "./ticketNaming.js"

export interface GithubIssuesOptions {
  /** `[github] binary`. */
  readonly binary: string
  /** `[projects]`: project key → the local clone whose GitHub repository holds its issues. */
  readonly projects: Readonly<Record<string, string>>
  readonly stateMap: { readonly [K in WorkflowState]?: string | undefined }
  readonly retry: TrackerRetryPolicy
  /** Issues per page, `[github] issues_page_size` (GitHub takes at most 100). */
  readonly pageSize: number
}

const PROVIDER = "github"
export const githubMaxPageSize = 100
/** A listing stops (and says it is incomplete) after this many pages of one repository. */
const MAX_PAGES = 100
const GH_TIMEOUT = "2 minutes"

/** `github:acme/widgets#12` → `acme/widgets` and 12. */
const parseRaw = (raw: string, operation: string) => {
  const match = /^([\w.-]+\/[\w.-]+)#(\d+)$/.exec(raw)
  return match === null || match[1] === undefined || match[2] === undefined
    ? Effect.fail(new TicketingError({ provider: PROVIDER, operation, detail: `"${raw}" is not OWNER/REPO#NUMBER` }))
    : Effect.succeed({ repo: match[1], number: match[2] })
}

/** `https://api.github.com/repos/acme/widgets` → `acme/widgets`. */
const repoOfUrl = (url: string) => /\/repos\/([^/]+\/[^/]+)\/?$/.exec(url)?.[1] ?? null

export const makeGithubIssues = (options: GithubIssuesOptions) =>
  Effect.gen(function* () {
    const executor = yield* CommandExecutor.CommandExecutor
    const { gh, ghJson } = makeGhRunner(options.binary, options.retry, GH_TIMEOUT, executor)
    const names = githubStateNames(options.stateMap)
    const pageSize = Math.max(1, Math.min(options.pageSize, githubMaxPageSize))
    const projectKeys = Object.keys(options.projects)

    /** Each project's `owner/repo`, from its clone's remote, asked of gh once. */
    const repos = yield* Ref.make(new Map<string, string>())
    const repoOf = (project: string) =>
      Effect.gen(function* () {
        const known = (yield* Ref.get(repos)).get(project)
        if (known !== undefined) return known
        const path = options.projects[project]
        if (path === undefined) {
          return yield* new TicketingError({ provider: PROVIDER, operation: "find repository", detail: `[projects] has no project "${project}"` })
        }
        const view = yield* ghJson("repo view", { args: ["repo", "view", "--json", "nameWithOwner"], cwd: path }, Wire.RepoView)
        yield* Ref.update(repos, (map) => new Map(map).set(project, view.nameWithOwner))
        return view.nameWithOwner
      })
    /** The project whose clone is on `repo`; every project's repository is asked once, so a lone `get` knows it too. */
    const projectOf = (repo: string) =>
      Effect.gen(function* () {
        for (const project of projectKeys) {
          const found = yield* Effect.either(repoOf(project))
          if (found._tag === "Right" && sameName(found.right, repo)) return project
        }
        return null
      })
    const noProjects = new TicketingError({
      provider: PROVIDER,
      operation: "list issues",
      detail: "ticketing.github reads the issues of the repositories in [projects]: add one (KEY = \"path of its clone\")"
    })

    const login = Effect.cached(Effect.map(ghJson("read user", { args: ["api", "user"] }, Wire.GithubUser), (u) => u.login))
    const me = yield* login

    const toTicket = (issue: Wire.GithubIssue) =>
      Effect.gen(function* () {
        const repo = repoOfUrl(issue.repository_url) ?? "unknown/unknown"
        return new Ticket(
          {
            id: ticketId(PROVIDER, `${repo}#${issue.number}`),
            provider: PROVIDER,
            identifier: `${repo}#${issue.number}`,
            title: issue.title,
            description: issue.body ?? "",
            url: issue.html_url,
            priority: 0,
            state: new TicketState(githubState(names, issue), true),
            project: yield* projectOf(repo),
            team: null,
            labels: issue.labels.map((l) => l.name),
            assignee: issue.assignee?.login ?? null,
            updatedAt: DateTime.toEpochMillis(issue.updated_at)
          },
          true
        )
      })

    const issueOf = (id: TicketId, operation: string) =>
      Effect.flatMap(rawId(PROVIDER, id, operation), (raw) => parseRaw(raw, operation))
    const fetchIssue = (repo: string, number: string, operation: string) =>
      ghJson(operation, { args: ["api", `repos/${repo}/issues/${number}`] }, Wire.GithubIssue)

    const get = (id: TicketId) =>
      Effect.gen(function* () {
        const { number, repo } = yield* issueOf(id, "get issue")
        const issue = yield* fetchIssue(repo, number, "get issue")
        if (issue.pull_request !== undefined) {
          return yield* new TicketingError({ provider: PROVIDER, operation: "get issue", detail: `${repo}#${number} is a pull request` })
        }
        return yield* toTicket(issue)
      })

    /** One repository's issues, newest change first, page by page until `room` is filled or they run out. */
    const listRepo = (repo: string, query: TicketQuery, found: Array<Ticket>, room: number, onPage?: PageProgress) =>
      Effect.gen(function* () {
        const wanted = query.states.map((s) => s.toLowerCase())
        const closedWanted = wanted.length === 0 || wanted.some((s) => sameName(s, names.done) || sameName(s, names.canceled))
        const search = query.search?.toLowerCase() ?? ""
        const assignee = query.assignedToMe ? [`assignee=${yield* me}`] : []
        const since = query.updatedSince === undefined ? [] : [`since=${query.updatedSince.toISOString()}`]
        const stop = found.length + room
        for (let page = 1; page <= MAX_PAGES; page++) {
          const fields = [`state=${closedWanted ? "all" : "open"}`, `per_page=${pageSize}`, `page=${page}`, "sort=updated", "direction=desc", ...assignee, ...since]
          const args = ["api", `repos/${repo}/issues`, "--method", "GET", ...fields.flatMap((f) => ["-f", f])]
          const issues = yield* ghJson("list issues", { args }, Wire.GithubIssues)
          for (const issue of issues) {
            // The issues endpoint lists pull requests too.
            if (issue.pull_request !== undefined || found.length >= stop) continue
            const ticket = yield* toTicket(issue)
            if (wanted.length > 0 && !wanted.includes(ticket.state.name.toLowerCase())) continue
            if (search !== "" && !`${ticket.title}\n${ticket.description}`.toLowerCase().includes(search)) continue
            found.push(ticket)
          }
          if (onPage !== undefined) yield* onPage(found.length)
          if (issues.length < pageSize || found.length >= stop) return null
        }
        return `${repo} has more than ${MAX_PAGES} pages of issues`
      })

    const list = (query: TicketQuery, onPage?: PageProgress) =>
      Effect.gen(function* () {
        if (projectKeys.length === 0) return yield* noProjects
        const found: Array<Ticket> = []
        const cut: Array<string> = []
        const seen = new Set<string>()
        for (const project of projectKeys) {
          const repo = yield* repoOf(project)
          if (seen.has(repo.toLowerCase()) || found.length >= query.limit) continue
          seen.add(repo.toLowerCase())
          const short = yield* listRepo(repo, query, found, query.limit - found.length, onPage)
          if (short !== null) cut.push(short)
        }
        if (cut.length > 0) return yield* new TicketListingIncomplete({ provider: PROVIDER, detail: cut.join("; "), tickets: found })
        return found
      })

    const create = (fresh: NewTicket) =>
      Effect.gen(function* () {
        const project = fresh.project ?? projectKeys[0]
        if (project === undefined) return yield* noProjects
        const repo = yield* repoOf(project)
        // The body goes as JSON on stdin: a long description never meets the argument size limit.
        const call = { args: ["api", `repos/${repo}/issues`, "--method", "POST", "--input", "-"], stdin: JSON.stringify({ title: fresh.title, body: fresh.description }) }
        return yield* toTicket(yield* ghJson("create issue", call, Wire.GithubIssue))
      })

    const edit = (repo: string, number: string, operation: string, flags: ReadonlyArray<string>, stdin?: string) =>
      gh(operation, { args: ["issue", "edit", number, "--repo", repo, ...flags], ...(stdin === undefined ? {} : { stdin }) })

    /** Adds a state label, creating it in the repository the first time (gh refuses an unknown label). */
    const addLabel = (repo: string, number: string, label: string, stale: ReadonlyArray<string>) => {
      const flags = ["--add-label", label, ...stale.flatMap((l) => ["--remove-label", l])]
      return edit(repo, number, "update state", flags).pipe(
        Effect.catchIf(
          (error) => error._tag === "TicketingError" && /not found/i.test(error.detail),
          () =>
            Effect.zipRight(
              gh("create label", { args: ["label", "create", label, "--repo", repo, "--force", "--description", "orchestrator workflow state"] }),
              edit(repo, number, "update state", flags)
            )
        )
      )
    }

    const updateState = (id: TicketId, state: WorkflowState) =>
      Effect.gen(function* () {
        const name = yield* mappedStateName(PROVIDER, options.stateMap, state)
        const { number, repo } = yield* issueOf(id, "update state")
        const issue = yield* fetchIssue(repo, number, "update state")
        const move = githubMove(names, name)
        if (move._tag === "close") {
          const stale = staleStateLabels(names, issue, null)
          if (stale.length > 0) yield* edit(repo, number, "update state", stale.flatMap((l) => ["--remove-label", l]))
          const already = issue.state === "closed" && (issue.state_reason === "not_planned") === (move.reason === "not planned")
          if (!already) yield* gh("update state", { args: ["issue", "close", number, "--repo", repo, "--reason", move.reason] })
        } else {
          if (issue.state === "closed") yield* gh("update state", { args: ["issue", "reopen", number, "--repo", repo] })
          const stale = staleStateLabels(names, issue, move.label)
          if (move.label !== null) yield* addLabel(repo, number, move.label, stale)
          else if (stale.length > 0) yield* edit(repo, number, "update state", stale.flatMap((l) => ["--remove-label", l]))
        }
        return yield* toTicket(yield* fetchIssue(repo, number, "update state"))
      })

    const updateDescription = (id: TicketId, description: string) =>
      Effect.flatMap(issueOf(id, "update description"), ({ number, repo }) =>
        Effect.asVoid(edit(repo, number, "update description", ["--body-file", "-"], description))
      )

    const addComment = (id: TicketId, body: string) =>
      Effect.flatMap(issueOf(id, "add comment"), ({ number, repo }) =>
        Effect.asVoid(gh("add comment", { args: ["issue", "comment", number, "--repo", repo, "--body-file", "-"], stdin: body }))
      )

    const health: Effect.Effect<string, TicketingFailure> = Effect.map(me, (user) => `github: signed in as ${user} (gh)`)

    return Ticketing.of({
      provider: PROVIDER,
      list,
      get,
      create,
      updateState,
      updateDescription,
      addComment,
      // The pull request's body says `Fixes OWNER/REPO#N` (vcsPullRequestText): GitHub links it on
      // the issue and closes the issue at the merge. Another link would only repeat it.
      attachLink: (id) => Effect.asVoid(issueOf(id, "attach link")),
      health
    })
  })

/** GitHub Issues through gh, for the `[projects]` repositories; gh's own login is the credential. */
export const GithubIssuesLive = Layer.effect(
  Ticketing,
  Effect.gen(function* () {
    const config = yield* AppConfig
    return yield* makeGithubIssues({
      binary: config.settings.github.binary,
      projects: config.settings.projects,
      stateMap: config.settings.tracker.workflow_state_map,
      retry: defaultTrackerRetryPolicy,
      pageSize: config.settings.github.issues_page_size
    })
  })
).pipe(Layer.provide(NodeContext.layer))

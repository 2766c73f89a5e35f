import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { defaultWorkflowStateMap } from "../../../src/domain/config.js"
import { TicketId } from "../../../src/domain/ids.js"
import { makeGithubIssues } from "../../../src/layers/ticketing/GitHub.js"
import { type FakeGhState, fakeGh, fakeIssue } from "../../fakes/gh/ghState.js"
import { contractSeed, hostileTitle, type SeedTicket, ticketingContract } from "./contract.js"
import { fastRetry } from "./httpClient.js"

const seedIssues = (seed: ReadonlyArray<SeedTicket>) =>
  seed.map((s, n) => fakeIssue(n + 1, { title: s.title, body: s.description, labels: s.state === "Todo" ? ["bug"] : ["bug", s.state] }))

const githubAgainst = (initial: Partial<FakeGhState>) =>
  Effect.gen(function* () {
    const gh = yield* fakeGh({ nextNumber: 100, ...initial })
    const tracker = yield* makeGithubIssues({
      binary: gh.binary,
      // The clone's directory: gh reads the repository from it (the fake answers acme/widgets).
      projects: { ENG: gh.dir },
      stateMap: defaultWorkflowStateMap,
      retry: fastRetry,
      pageSize: 3
    }).pipe(Effect.provide(NodeContext.layer))
    return { gh, tracker }
  })

ticketingContract("github", (seed) => Effect.map(githubAgainst({ issues: seedIssues(seed) }), ({ tracker }) => tracker))

const everything = { assignedToMe: true, states: [], search: null, limit: 100 }

describe("GitHub Issues through the scripted gh", () => {
  it.scopedLive("lists my issues of the project's repository page by page, skipping pull requests and others' issues", () =>
    Effect.gen(function* () {
      const { gh, tracker } = yield* githubAgainst({
        issues: [...seedIssues(contractSeed), fakeIssue(40, { title: "not mine", mine: false })]
      })
      gh.update((state) => {
        state.pulls.push({ ...gh.read().pulls[0], number: 41, title: "a pull request", body: "", state: "OPEN" } as FakeGhState["pulls"][number])
      })
      const tickets = yield* tracker.list(everything)
      expect(tickets.map((t) => t.title)).not.toContain("not mine")
      expect(tickets.map((t) => t.title)).not.toContain("a pull request")
      expect(tickets).toHaveLength(contractSeed.length)
      expect(tickets.find((t) => t.id === "github:acme/widgets#3")).toMatchObject({
        identifier: "acme/widgets#3",
        project: "ENG",
        url: "https://github.com/acme/widgets/issues/3",
        state: { name: "In Progress", type: "started" }
      })
      const lists = gh.calls("api", "repos/acme/widgets/issues", "--method", "GET")
      // Nine of them (the pull request included) in pages of three: the fourth page comes back empty.
      expect(lists).toHaveLength(4)
      expect(lists[0]).toEqual(expect.arrayContaining(["state=all", "per_page=3", "page=1", "assignee=octo"]))
      expect(gh.calls("repo", "view")).toHaveLength(1)
    }))

  it.scopedLive("a ticket read on its own (no listing before) still names its project", () =>
    Effect.gen(function* () {
      const { tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed) })
      expect((yield* tracker.get(TicketId.make("github:acme/widgets#4"))).project).toBe("ENG")
      expect((yield* tracker.get(TicketId.make("github:other/repo#4")).pipe(Effect.flip))._tag).toBe("TicketingError")
    }))

  it.scopedLive("updatedSince asks GitHub for issues changed since then", () =>
    Effect.gen(function* () {
      const { gh, tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed) })
      const since = new Date(Date.UTC(2025, 0, 1) + 6 * 60_000)
      const tickets = yield* tracker.list({ ...everything, updatedSince: since })
      expect(tickets.map((t) => t.identifier).sort()).toEqual(["acme/widgets#6", "acme/widgets#7", "acme/widgets#8"])
      expect(gh.calls("api")[1]).toContain(`since=${since.toISOString()}`)
    }))

  it.scopedLive("rate limits and a 502 are retried; then the listing succeeds", () =>
    Effect.gen(function* () {
      const { gh, tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed), issueFaults: ["rate-limit", "server-error"] })
      expect(yield* tracker.list(everything)).toHaveLength(contractSeed.length)
      expect(gh.read().issueFaults).toEqual([])
    }))

  it.scopedLive("a refused login is an auth error naming GH_TOKEN and gh auth login; a malformed answer a decode error", () =>
    Effect.gen(function* () {
      const { tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed), issueFaults: ["unauthorized"] })
      const refused = yield* Effect.flip(tracker.list(everything))
      expect(refused).toMatchObject({ _tag: "TicketingAuthError", status: 401 })
      expect(refused.message).toBe("github refused the credentials (HTTP 401): check GH_TOKEN (or run gh auth login)")
      const broken = yield* githubAgainst({ issues: seedIssues(contractSeed), issueFaults: ["malformed"] })
      const error = yield* Effect.flip(broken.tracker.list(everything))
      expect(error._tag).toBe("TicketingDecodeError")
      expect(error.message).toContain("not JSON")
      const out = yield* githubAgainst({ authenticated: false })
      expect(yield* Effect.flip(out.tracker.health)).toMatchObject({ _tag: "TicketingAuthError", envVar: "GH_TOKEN (or run gh auth login)" })
    }))

  it.scopedLive("states are labels while open and open/closed at the ends; a missing label is created once", () =>
    Effect.gen(function* () {
      const { gh, tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed), labels: ["bug"] })
      const id = TicketId.make("github:acme/widgets#1")
      const issue = () => gh.read().issues?.find((i) => i.number === 1)
      yield* tracker.updateState(id, "Implementing")
      yield* tracker.updateState(id, "InReview")
      expect(issue()?.labels.map((l) => l.name)).toEqual(["bug", "In Review"])
      expect(gh.calls("label", "create").map((call) => call[2])).toEqual(["In Progress", "In Review"])
      const abandoned = yield* tracker.updateState(id, "Abandoned")
      expect(abandoned.state).toMatchObject({ name: "Canceled", type: "canceled" })
      expect(issue()).toMatchObject({ state: "closed", state_reason: "not_planned", labels: [{ name: "bug" }] })
      const back = yield* tracker.updateState(id, "Implementing")
      expect(back.state).toMatchObject({ name: "In Progress", type: "started" })
      expect(issue()?.state).toBe("open")
    }))

  it.scopedLive("hostile and long text goes through gh as arguments and stdin, never a shell", () =>
    Effect.gen(function* () {
      const { gh, tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed) })
      const title = hostileTitle.slice(0, 120)
      const created = yield* tracker.create({ title, description: `$(touch pwned) \`id\` \u001b[31mred ${"x".repeat(200_000)}`, project: "ENG" })
      expect(created).toMatchObject({ id: "github:acme/widgets#100", title, project: "ENG" })
      // More than one argument may hold (128 KiB): the body went on stdin.
      expect(created.description).toBe(`$(touch pwned) \`id\` \u001b[31mred ${"x".repeat(200_000)}`)
      yield* tracker.addComment(created.id, "--repo evil/repo\n; rm -rf / && echo ../../")
      expect(gh.read().issues?.find((i) => i.number === 100)?.comments).toEqual(["--repo evil/repo\n; rm -rf / && echo ../../"])
      const wrong = yield* Effect.flip(tracker.get(TicketId.make("github:acme/widgets#1; rm -rf /")))
      expect(wrong._tag).toBe("TicketingError")
    }))

  it.scopedLive("a merged pull request whose body says Fixes OWNER/REPO#N closes the issue", () =>
    Effect.gen(function* () {
      const { gh, tracker } = yield* githubAgainst({ issues: seedIssues(contractSeed), autopilot: false })
      gh.update((state) => {
        state.pulls.push({ ...({} as FakeGhState["pulls"][number]), number: 50, url: "u", title: "t", body: "x\n\nFixes acme/widgets#2\n", state: "OPEN", isDraft: false, headRefName: "b", headRefOid: "abc", baseRefName: "main", mergedAt: null, checks: [], comments: [], mergeable: "MERGEABLE", mergeStateStatus: "CLEAN", reviewDecision: "APPROVED" })
      })
      expect(gh.calls("pr").length).toBe(0)
      yield* Effect.promise(async () => {
        const { execFileSync } = await import("node:child_process")
        execFileSync(gh.binary, ["pr", "merge", "50", "--squash"], { stdio: "ignore" })
      })
      expect((yield* tracker.get(TicketId.make("github:acme/widgets#2"))).state).toMatchObject({ name: "Done", type: "completed" })
    }))
})

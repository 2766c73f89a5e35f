import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { StoredEvent } from "../../src/domain/events.js"
import { isTerminalSessionState } from "../../src/domain/session.js"
import { type E2eTracker, type E2eWorld, integrityCheck, makeE2eWorld, withStore } from "../fakes/e2e/e2eWorld.js"
import { field, isEvent, startOrchestrator } from "../fakes/e2e/orchestratorProcess.js"

/** The most sessions alive at once, replaying spawns and terminal state changes in store order. */
const peakLiveSessions = (events: ReadonlyArray<StoredEvent>): number => {
  const live = new Set<string>()
  let peak = 0
  for (const { event } of events) {
    if (event._tag === "SessionSpawned") live.add(event.sessionId)
    if (event._tag === "SessionStateChanged" && isTerminalSessionState(event.to)) live.delete(event.sessionId)
    peak = Math.max(peak, live.size)
  }
  return peak
}

/** Moves whose `from` is not where the work item's previous move ended (the first starts at New). */
const brokenMoveChains = (events: ReadonlyArray<StoredEvent>): ReadonlyArray<string> => {
  const at = new Map<string, string>()
  const broken: Array<string> = []
  for (const { event } of events) {
    if (event._tag !== "WorkflowTransition") continue
    const current = at.get(event.workItemId) ?? "New"
    if (event.from !== current) broken.push(`${event.workItemId}: ${event.from}>${event.to} while ${current}`)
    at.set(event.workItemId, event.to)
  }
  return broken
}

/** Each tracker's tickets as its fake holds them after the run: every one Done, with one comment each. */
interface TrackerCase {
  readonly tracker: E2eTracker
  readonly tickets: number
  readonly states: (world: E2eWorld) => ReadonlyArray<string>
  readonly comments: (world: E2eWorld) => number
}

const trackerCases: ReadonlyArray<TrackerCase> = [
  {
    tracker: "linear",
    tickets: 5,
    states: (world) => world.linear.issues.map((issue) => String((issue.node["state"] as { name: string }).name)),
    comments: (world) => world.linear.comments.length
  },
  {
    tracker: "github",
    tickets: 2,
    // Closed by the merge (the pull request says Fixes acme/widgets#N), as GitHub closes them.
    states: (world) => (world.gh.read().issues ?? []).map((issue) => `${issue.state}:${issue.state_reason ?? ""}`),
    comments: (world) => (world.gh.read().issues ?? []).reduce((sum, issue) => sum + issue.comments.length, 0)
  },
  {
    tracker: "jira",
    tickets: 2,
    states: (world) => world.jira.issues.map((issue) => String(((issue["fields"] as Record<string, unknown>)["status"] as { name: string }).name)),
    comments: (world) => world.jira.comments.length
  }
]

const doneName: Readonly<Record<E2eTracker, string>> = { linear: "Done", github: "closed:completed", jira: "Done" }

describe.for(trackerCases.map((c) => [c.tracker, c] as const))("orchestrator run --headless --auto with ticketing.%s", ([, { tracker, tickets, states, comments }]) => {
  it.scopedLive(
    `${tickets} tickets with max_concurrent_sessions = 2: never more than two agents at once, all Done`,
    () =>
      Effect.gen(function* () {
        const world = yield* makeE2eWorld({ tickets, maxConcurrentSessions: 2, tracker })
        const run = yield* startOrchestrator(["run", "--headless", "--auto", "--until-idle"], world.env)
        const code = yield* run.exited(200_000)
        expect(code, run.lines.join("\n") + run.stderr()).toBe(0)

        const report = yield* withStore(world, (store, sql) =>
          Effect.gen(function* () {
            const lifecycle = yield* store.events({ types: ["SessionSpawned", "SessionStateChanged"], limit: 100_000 })
            const moves = yield* store.events({ types: ["WorkflowTransition"], limit: 100_000 })
            return {
              peak: peakLiveSessions(lifecycle),
              spawned: lifecycle.filter((stored) => stored.event._tag === "SessionSpawned").length,
              items: (yield* store.workItems).map((item) => item.state),
              brokenChains: brokenMoveChains(moves),
              sessionIds: (yield* store.sessions({})).map((row) => row.id),
              integrity: yield* integrityCheck(sql)
            }
          })
        )
        // Two at once is reached (the limit is used), never exceeded.
        expect(report.peak).toBe(2)
        expect(report.spawned).toBe(tickets)
        expect(report.items).toEqual(Array(tickets).fill("Done"))
        // Every move starts where the work item's previous one ended: none was decided from a stale state.
        expect(report.brokenChains).toEqual([])
        expect(report.integrity).toBe("ok")

        // What people read after the merge: the pull request as merged, not as last seen open.
        const show = yield* startOrchestrator(["sessions", "show", report.sessionIds[0] ?? "", "--json"], world.env)
        expect(yield* show.exited(30_000), show.stderr()).toBe(0)
        expect(JSON.parse(show.lines.join("\n")).pullRequest).toMatchObject({ state: "MERGED" })

        // The log tells the same story: one session spawned per ticket, each ticket's work finished.
        const spawnedTickets = run.lines.filter(isEvent("SessionSpawned")).map((line) => field(line, "ticket"))
        expect(new Set(spawnedTickets).size).toBe(tickets)
        expect(states(world)).toEqual(Array(tickets).fill(doneName[tracker]))
        expect(world.gh.calls("pr", "create")).toHaveLength(tickets)
        expect(world.gh.read().pulls.map((pr) => pr.state)).toEqual(Array(tickets).fill("MERGED"))
        expect(comments(world)).toBe(tickets)
        expect(world.git(world.repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1)
      }),
    240_000
  )
})

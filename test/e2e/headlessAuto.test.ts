import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { StoredEvent } from "../../src/domain/events.js"
import { isTerminalSessionState } from "../../src/domain/session.js"
import { integrityCheck, makeE2eWorld, withStore } from "../fakes/e2e/e2eWorld.js"
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

describe("orchestrator run --headless --auto", () => {
  it.scopedLive(
    "five Linear tickets with max_concurrent_sessions = 2: never more than two agents at once, all five Done",
    () =>
      Effect.gen(function* () {
        const world = yield* makeE2eWorld({ tickets: 5, maxConcurrentSessions: 2 })
        const run = yield* startOrchestrator(["run", "--headless", "--auto", "--until-idle"], world.env)
        const code = yield* run.exited(200_000)
        expect(code, run.lines.join("\n") + run.stderr()).toBe(0)

        const report = yield* withStore(world, (store, sql) =>
          Effect.gen(function* () {
            const lifecycle = yield* store.events({ types: ["SessionSpawned", "SessionStateChanged"], limit: 100_000 })
            return {
              peak: peakLiveSessions(lifecycle),
              spawned: lifecycle.filter((stored) => stored.event._tag === "SessionSpawned").length,
              items: (yield* store.workItems).map((item) => item.state),
              integrity: yield* integrityCheck(sql)
            }
          })
        )
        // Two at once is reached (the limit is used), never exceeded.
        expect(report.peak).toBe(2)
        expect(report.spawned).toBe(5)
        expect(report.items).toEqual(["Done", "Done", "Done", "Done", "Done"])
        expect(report.integrity).toBe("ok")

        // The log tells the same story: five sessions spawned, each ticket's work finished.
        const spawnedTickets = run.lines.filter(isEvent("SessionSpawned")).map((line) => field(line, "ticket"))
        expect(new Set(spawnedTickets).size).toBe(5)
        expect(world.linear.issues.map((issue) => issue.node["state"])).toEqual(Array(5).fill(expect.objectContaining({ name: "Done" })))
        expect(world.gh.calls("pr", "create")).toHaveLength(5)
        expect(world.gh.read().pulls.map((pr) => pr.state)).toEqual(Array(5).fill("MERGED"))
        expect(world.linear.comments).toHaveLength(5)
        expect(world.git(world.repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1)
      }),
    240_000
  )
})

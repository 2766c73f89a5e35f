import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { agentFile, agentFileText } from "../fakes/e2e/agentModelServer.js"
import { type E2eWorld, integrityCheck, makeE2eWorld, withStore } from "../fakes/e2e/e2eWorld.js"
import { field, isEvent, type OrchestratorProcess, startOrchestrator } from "../fakes/e2e/orchestratorProcess.js"

const headlessAuto = ["run", "--headless", "--auto", "--until-idle"]

/**
 * One Linear ticket; the first orchestrator is killed with -9 once `crashPoint` was reached, a
 * second one is started on the same store and must finish the work without doing anything twice.
 */
const crashThenRecover = (crashPoint: (world: E2eWorld, run: OrchestratorProcess) => Effect.Effect<unknown>) =>
  Effect.gen(function* () {
    const world = yield* makeE2eWorld({ tickets: 1 })
    const first = yield* startOrchestrator(headlessAuto, world.env)
    yield* crashPoint(world, first)
    yield* first.crash
    yield* world.model.releaseHeld

    const second = yield* startOrchestrator(headlessAuto, world.env)
    const code = yield* second.exited(120_000)
    expect(code, second.lines.join("\n") + second.stderr()).toBe(0)

    // Exactly one of everything, and the work merged.
    expect(world.gh.calls("pr", "create")).toHaveLength(1)
    const pulls = world.gh.read().pulls
    expect(pulls.map((pr) => pr.state)).toEqual(["MERGED"])
    expect(world.linear.attachments.map((a) => a.url)).toEqual([pulls[0]?.url])
    expect(world.linear.comments).toHaveLength(1)
    expect(world.linear.issues[0]?.node["state"]).toMatchObject({ name: "Done" })
    expect(world.git(world.origin, "show", `main:${agentFile("ENG-1")}`)).toBe(agentFileText("ENG-1"))
    expect(world.git(world.repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1)
    expect(world.git(world.repo, "branch", "--list", "--format=%(refname:short)")).toBe("main")

    const report = yield* withStore(world, (store, sql) =>
      Effect.gen(function* () {
        const created = yield* store.events({ types: ["WorktreeCreated", "WorkItemCreated", "TrackerUpdated"] })
        const of = (tag: string) => created.filter((stored) => stored.event._tag === tag)
        const trees = new Set(of("WorktreeCreated").flatMap((s) => (s.event._tag === "WorktreeCreated" ? [`${s.event.path} ${s.event.branch}`] : [])))
        const trackerKeys = of("TrackerUpdated").flatMap((s) => (s.event._tag === "TrackerUpdated" ? [s.event.key] : []))
        return {
          items: (yield* store.workItems).map((item) => item.state),
          workItemsCreated: of("WorkItemCreated").length,
          trees: [...trees],
          trackerKeys,
          integrity: yield* integrityCheck(sql)
        }
      })
    )
    expect(report.items).toEqual(["Done"])
    expect(report.workItemsCreated).toBe(1)
    expect(report.trees).toHaveLength(1)
    expect(report.trees.every((tree) => !existsSync(tree.split(" ")[0] ?? ""))).toBe(true)
    // No tracker change was recorded twice under the same key.
    expect(new Set(report.trackerKeys).size).toBe(report.trackerKeys.length)
    expect(report.integrity).toBe("ok")
    return { first, second }
  })

describe("restart recovery: kill -9 of orchestrator, then run again", () => {
  it.scopedLive(
    "killed right after the worktree was created",
    () =>
      Effect.gen(function* () {
        const { first } = yield* crashThenRecover((_, run) => run.waitForLine(isEvent("WorktreeCreated"), "the worktree"))
        expect(first.lines.some(isEvent("ArtifactCreated"))).toBe(false)
      }),
    200_000
  )

  it.scopedLive(
    "killed mid-turn while the model still streams the implementation",
    () =>
      Effect.gen(function* () {
        const { second } = yield* crashThenRecover((world) => Effect.flatten(world.model.holdNext("implement")))
        // The second run resumed the codex thread instead of starting a new session.
        const started = second.lines.find(isEvent("started")) ?? ""
        expect(field(started, "resumed")).toBe("1")
        expect(second.lines.some(isEvent("SessionSpawned"))).toBe(false)
      }),
    200_000
  )

  it.scopedLive(
    "killed right after the pull request was created and announced",
    () =>
      Effect.gen(function* () {
        // After the draft is open and announced on the ticket, before the pipeline looked at it. (A kill
        // between a tracker call and its record would repeat that call after the restart: see tracker.ts.)
        const { second } = yield* crashThenRecover((_, run) =>
          run.waitForLine((line) => isEvent("TrackerUpdated")(line) && field(line, "action") === "comment", "the pull request's comment")
        )
        expect(second.lines.some(isEvent("ArtifactCreated"))).toBe(false)
        expect(second.lines.some(isEvent("SessionSpawned"))).toBe(false)
      }),
    200_000
  )
})

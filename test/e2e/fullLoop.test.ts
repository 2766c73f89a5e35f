import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync } from "node:fs"
import { agentFile, agentFileText } from "../fakes/e2e/agentModelServer.js"
import { integrityCheck, makeE2eWorld, withStore } from "../fakes/e2e/e2eWorld.js"
import { startOrchestrator } from "../fakes/e2e/orchestratorProcess.js"

describe.each(["codex", "claude"] as const)("the whole loop: Linear ticket → worktree → real %s → draft PR → merge → Done", (harness) => {
  it.scopedLive(
    "headless --auto --until-idle carries one Linear ticket to Done and leaves a clean repository",
    () =>
      Effect.gen(function* () {
        const world = yield* makeE2eWorld({ tickets: 1, harness })
        const run = yield* startOrchestrator(["run", "--headless", "--auto", "--until-idle"], world.env)
        const code = yield* run.exited(150_000)
        expect(code, run.lines.join("\n") + run.stderr()).toBe(0)
        // The agent was the chosen binary: every model request came on its wire, plan to finish.
        const answered = yield* world.model.answered
        expect(new Set(answered.map((request) => request.wire))).toEqual(new Set([harness === "claude" ? "messages" : "responses"]))
        expect(answered.map((request) => request.phase)).toEqual(expect.arrayContaining(["plan", "implement", "finish"]))

        // The tracker: moved along the workflow to Done, one PR link, one summary comment.
        const issue = world.linear.issues[0]?.node
        expect(issue?.["state"]).toMatchObject({ name: "Done" })
        const pulls = world.gh.read().pulls
        expect(pulls).toHaveLength(1)
        const pr = pulls[0]
        expect(pr).toMatchObject({ state: "MERGED", headRefName: expect.stringContaining("ENG-1") })
        expect(world.linear.attachments).toEqual([{ issueId: "issue-1", url: pr?.url, title: `PR #${pr?.number}` }])
        expect(world.linear.comments).toHaveLength(1)
        expect(world.linear.comments[0]?.body).toContain(pr?.url)
        expect(world.linear.comments[0]?.body).toContain("Implemented ENG-1")
        expect(world.gh.calls("pr", "create")).toHaveLength(1)

        // git: the agent's file is on origin's main; worktree and branch are gone.
        expect(world.git(world.origin, "show", `main:${agentFile("ENG-1")}`)).toBe(agentFileText("ENG-1"))
        expect(world.git(world.repo, "worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(1)
        expect(world.git(world.repo, "branch", "--list", "--format=%(refname:short)")).toBe("main")

        const report = yield* withStore(world, (store, sql) =>
          Effect.gen(function* () {
            const items = yield* store.workItems
            const trees = yield* store.events({ types: ["WorktreeCreated"] })
            const states = (yield* store.events({ types: ["TrackerUpdated"] })).flatMap((stored) =>
              stored.event._tag === "TrackerUpdated" && stored.event.action === "state" ? [stored.event.detail] : []
            )
            const paths = trees.flatMap((stored) => (stored.event._tag === "WorktreeCreated" ? [stored.event.path] : []))
            return { items, paths, states, integrity: yield* integrityCheck(sql) }
          })
        )
        expect(report.items.map((item) => item.state)).toEqual(["Done"])
        expect(report.paths).toHaveLength(1)
        expect(report.paths.every((path) => !existsSync(path))).toBe(true)
        expect(report.states).toEqual(expect.arrayContaining(["Planning", "Implementing", "PRDrafted", "Done"]))
        expect(report.integrity).toBe("ok")
      }),
    180_000
  )
})

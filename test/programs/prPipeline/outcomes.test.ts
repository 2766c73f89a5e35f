import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ArtifactCreated, WorkflowTransition, WorkItemCreated } from "../../../src/domain/events.js"
import { ArtifactId, WorkItemId } from "../../../src/domain/ids.js"
import { confirmMerge } from "../../../src/programs/prPipeline/merge.js"
import { RepoHostError, UNANSWERED_EXIT } from "../../../src/domain/vcsErrors.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { RepoHost } from "../../../src/services/RepoHost.js"
import { type FakeGh, pushHead, setStage } from "../../fakes/gh/ghState.js"
import { git, type GitFixture } from "../../layers/vcs/gitFixture.js"
import {
  backToReview,
  currentState,
  inReviewWorkItem,
  moves,
  pipelineTick,
  recordingAgent,
  ticket,
  withPipeline,
  workItemId
} from "./pipelineFixture.js"

describe("PR pipeline outcomes", () => {
  it.scoped("merged outside orchestrator → Done; with the flags off the worktree is kept and the person told", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const { agent } = yield* recordingAgent()
        const tree = yield* inReviewWorkItem(fixture, gh)
        fs.writeFileSync(path.join(tree.path, "scratch.txt"), "uncommitted notes\n")
        setStage(gh, 1, "mergedOutside")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("Done")
        expect((yield* moves).slice(-1)).toEqual(["InReview>Done"])
        expect(fs.readFileSync(path.join(tree.path, "scratch.txt"), "utf8")).toBe("uncommitted notes\n")
        const kept = (yield* store.inbox({ openOnly: true })).find((item) => item.lane === "fyi")
        expect(kept?.body).toContain("git.allow_destructive_automation = true")
        expect(gh.calls("pr", "merge")).toHaveLength(0)
      })
    ))

  it.scoped("merged outside with deletion allowed: dirty work saved in a wip ref, worktree and merged branch removed", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const { agent } = yield* recordingAgent()
        const tree = yield* inReviewWorkItem(fixture, gh)
        fs.writeFileSync(path.join(tree.path, "scratch.txt"), "uncommitted notes\n")
        setStage(gh, 1, "mergedOutside")
        yield* pipelineTick(agent)
        expect(fs.existsSync(tree.path)).toBe(false)
        const removed = yield* store.events({ workItemId, types: ["WorktreeRemoved"] })
        const savedRef = removed[0]?.event._tag === "WorktreeRemoved" ? removed[0].event.savedRef : null
        expect(savedRef).toMatch(/^refs\/orchestrator\/wip\//)
        expect(git(fixture.repo, "show", `${savedRef}:scratch.txt`)).toBe("uncommitted notes\n")
        expect(git(fixture.repo, "branch", "--list", tree.branch).trim()).toBe("")
      }),
      { git: { allow_destructive_automation: true } }
    ))

  it.scoped("closed without merging → Abandoned, the worktree untouched", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const { agent, told } = yield* recordingAgent()
        const tree = yield* inReviewWorkItem(fixture, gh)
        setStage(gh, 1, "closed")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("Abandoned")
        expect(fs.existsSync(path.join(tree.path, "feature.txt"))).toBe(true)
        expect(yield* told).toEqual([])
      }),
      { git: { allow_destructive_automation: true } }
    ))

  it.scoped("CI fixes are bounded: after the last attempt the failure goes to the inbox", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const { agent, told } = yield* recordingAgent()
        yield* inReviewWorkItem(fixture, gh)
        for (const [round, sha] of ["a", "b", "c"].entries()) {
          pushHead(gh, 1, sha.repeat(40))
          setStage(gh, 1, "checksFailing")
          if (round > 0) yield* backToReview()
          yield* pipelineTick(agent)
        }
        expect((yield* told).length).toBe(2)
        expect(yield* currentState).toBe("PRDrafted")
        const exhausted = (yield* store.inbox({ openOnly: true })).find((item) => item.lane === "decide")
        expect(exhausted?.title).toBe("CI still failing on PR #1 after 2 fix attempts")
        expect(exhausted?.body).toContain("test")
      }),
      { maxCiFixAttempts: 2 }
    ))

  it.scoped("without a live agent session the instruction goes to the inbox", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const { agent } = yield* recordingAgent(false)
        yield* inReviewWorkItem(fixture, gh)
        setStage(gh, 1, "changesRequested")
        yield* pipelineTick(agent)
        const item = (yield* store.inbox({ openOnly: true })).find((entry) => entry.lane === "decide")
        expect(item?.title).toBe("No agent session to handle PR #1")
        expect(item?.body).toContain("Please handle the empty input case.")
        expect(yield* store.events({ workItemId, types: ["AgentInstructed"] })).toEqual([])
      })
    ))

  it.scoped("auto_merge merges approved and green at once; a refused merge goes back to InReview", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const agent = yield* approvedAndPolled(fixture, gh)
        expect((yield* moves).slice(-2)).toEqual(["InReview>PendingMerge", "PendingMerge>InReview"])
        const failed = (yield* store.inbox({ openOnly: true })).find((entry) => entry.lane === "decide")
        expect(failed?.title).toBe("Merging PR #1 failed")
        expect(failed?.body).toContain("not allowed on this repository")
        expect(gh.calls("pr", "merge")).toHaveLength(3)

        gh.update((state) => {
          state.allowedMergeMethods = ["merge"]
        })
        // A new head makes a new observation: approved and green again, merged with the allowed method.
        pushHead(gh, 1, "d".repeat(40))
        yield* pipelineTick(agent)
        expect(gh.pull(1)).toMatchObject({ state: "MERGED", mergedWith: "merge" })
        expect(yield* currentState).toBe("Done")
      }),
      { autoMerge: true },
      { allowedMergeMethods: [] }
    ))

  it.live("auto_merge whose merge got no answer (the runner away or restarting) asks again, and merges, with no inbox item", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        let unanswered = 2
        const flaky = Effect.updateService(RepoHost, (host) => ({
          ...host,
          merge: (request: Parameters<typeof host.merge>[0]) =>
            Effect.suspend(() =>
              unanswered-- > 0
                ? Effect.fail(new RepoHostError({ operation: "pr merge", exitCode: UNANSWERED_EXIT, detail: "runner alpha: the runner stopped the call" }))
                : host.merge(request)
            )
        }))
        yield* approvedAndPolled(fixture, gh).pipe(flaky)
        expect(gh.pull(1)).toMatchObject({ state: "MERGED" })
        expect(yield* currentState).toBe("Done")
        expect((yield* (yield* EventStore).inbox({ openOnly: true })).filter((entry) => entry.lane === "decide")).toEqual([])
      }),
      { autoMerge: true }
    ).pipe(Effect.scoped))

  it.scoped("auto_merge on a branch without review protection (empty reviewDecision): green merges, no InReview wait", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const { agent } = yield* recordingAgent()
        yield* inReviewWorkItem(fixture, gh)
        setStage(gh, 1, "checksPassing")
        gh.update((state) => {
          state.pulls[0]!.reviewDecision = ""
          state.pulls[0]!.mergeStateStatus = "CLEAN"
        })
        yield* pipelineTick(agent)
        expect(gh.pull(1)).toMatchObject({ state: "MERGED", mergedWith: "squash" })
        expect(yield* currentState).toBe("Done")
        expect((yield* moves).slice(-2)).toEqual(["InReview>PendingMerge", "PendingMerge>Done"])
      }),
      { autoMerge: true }
    ))

  it.scoped("a merge ask for an older head is superseded by the ask for the new one", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const agent = yield* approvedAndPolled(fixture, gh)
        pushHead(gh, 1, "f".repeat(40))
        yield* pipelineTick(agent)
        const asks = (yield* store.inbox({ openOnly: true })).filter((entry) => entry.lane === "approvals")
        expect(asks.map((entry) => entry.requestId)).toEqual([`pr-merge:1:${"f".repeat(40)}`])
      })
    ))

  it.scoped("a confirmation after the head moved is refused by GitHub: back to InReview, nothing merged", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        yield* approvedAndPolled(fixture, gh)
        expect(yield* currentState).toBe("PendingMerge")
        pushHead(gh, 1, "e".repeat(40))
        expect(yield* confirmMerge(workItemId)).toEqual({ merged: false })
        expect(gh.pull(1).state).toBe("OPEN")
        expect(yield* currentState).toBe("InReview")
        const open = yield* store.inbox({ openOnly: true })
        expect(open.find((entry) => entry.lane === "decide")?.body).toContain("Head branch was modified")
        expect(open.filter((entry) => entry.lane === "approvals")).toEqual([])
      })
    ))

  it.scoped("confirming a merge for an item that is not pending merge is refused", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        yield* inReviewWorkItem(fixture, gh)
        const error = yield* Effect.flip(confirmMerge(workItemId))
        expect(error.message).toBe("cannot move from InReview to Done: the work item is not waiting for a merge")
        expect(gh.calls("pr", "merge")).toHaveLength(0)
      })
    ))

  it.scoped("one item's failure is logged and does not stop the others", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const { agent } = yield* recordingAgent()
        yield* inReviewWorkItem(fixture, gh)
        const broken = WorkItemId.make("wi-broken")
        yield* store.append([
          new WorkItemCreated({ workItemId: broken, ticketId: ticket.id, repoPath: fixture.repo }),
          new WorkflowTransition({ workItemId: broken, from: "New", to: "PRDrafted", reason: "test" }),
          new ArtifactCreated({
            artifactId: ArtifactId.make("broken-pr"),
            workItemId: broken,
            sessionId: null,
            kind: "pullRequest",
            title: "PR #99",
            uri: "https://github.com/acme/widgets/pull/99"
          })
        ])
        setStage(gh, 1, "closed")
        expect(yield* pipelineTick(agent)).toEqual({ checked: 2, updated: 1, failed: 1 })
        expect(yield* currentState).toBe("Abandoned")
      })
    ))
})

/** A PR in review turns approved and green, and the pipeline polls once. */
const approvedAndPolled = (fixture: GitFixture, gh: FakeGh) =>
  Effect.gen(function* () {
    const { agent } = yield* recordingAgent()
    yield* inReviewWorkItem(fixture, gh)
    setStage(gh, 1, "checksPassing")
    setStage(gh, 1, "approved")
    yield* pipelineTick(agent)
    return agent
  })


import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { confirmMerge } from "../../../src/programs/prPipeline/merge.js"
import { markPullRequestReady, openDraftPullRequest } from "../../../src/programs/prPipeline/open.js"
import { EventStore } from "../../../src/services/EventStore.js"
import { Vcs } from "../../../src/services/Vcs.js"
import { pushHead, setStage } from "../../fakes/gh/ghState.js"
import { git } from "../../layers/vcs/gitFixture.js"
import {
  backToReview,
  currentState,
  implementingWorkItem,
  moves,
  pipelineTick,
  recordingAgent,
  withPipeline,
  workItemId
} from "./pipelineFixture.js"

/** Runs a tick and returns how many events it appended. */
const tickCount = (agent: Parameters<typeof pipelineTick>[0]) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const before = yield* store.lastSeq
    yield* pipelineTick(agent)
    return (yield* store.lastSeq) - before
  })

describe("PR pipeline over the scripted pull request's whole life", () => {
  it.scoped("draft → pending → failing → passing → ready → changes requested → approved → merged on confirmation", () =>
    withPipeline(({ fixture, gh }) =>
      Effect.gen(function* () {
        const store = yield* EventStore
        const vcs = yield* Vcs
        const { agent, told } = yield* recordingAgent()
        const tree = yield* implementingWorkItem(fixture)
        fs.writeFileSync(path.join(tree.path, "greet.ts"), "export const greet = () => 'hello'\n")
        yield* vcs.commitAll(tree.path, "greet")

        const opened = yield* openDraftPullRequest(workItemId, "Adds a greeting.")
        expect(opened).toMatchObject({ number: 1, reused: false })
        expect(gh.pull(1)).toMatchObject({ isDraft: true, title: "ENG-42: Greet the world", headRefName: tree.branch })
        expect(gh.pull(1).body).toContain("Adds a greeting.")
        expect(gh.pull(1).body).toContain("[ENG-42](https://tracker.example/ENG-42)")
        expect(yield* currentState).toBe("PRDrafted")
        // Opening again (a retry after a crash) reuses the pull request.
        expect((yield* openDraftPullRequest(workItemId, "Adds a greeting.")).reused).toBe(true)

        // A fresh draft without checks: observed, nothing to do; the same state again adds nothing.
        expect(yield* tickCount(agent)).toBe(1)
        expect(yield* tickCount(agent)).toBe(0)

        setStage(gh, 1, "checksPending")
        expect(yield* tickCount(agent)).toBe(1)
        expect(yield* currentState).toBe("PRDrafted")

        setStage(gh, 1, "checksFailing")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("Implementing")
        const [ciText] = yield* told
        expect(ciText).toContain("fix attempt 1 of 3")
        expect(ciText).toContain("- test: https://github.com/acme/widgets/actions/runs/1/job/test")
        expect(ciText).not.toContain("- build")
        expect(yield* tickCount(agent)).toBe(0)

        // The agent fixes and pushes; the worker puts the item back in review.
        fs.writeFileSync(path.join(tree.path, "greet.ts"), "export const greet = () => 'hello world'\n")
        yield* vcs.commitAll(tree.path, "fix the test")
        yield* vcs.push(tree.path, { force: false })
        pushHead(gh, 1, git(tree.path, "rev-parse", "HEAD").trim())
        yield* backToReview()
        setStage(gh, 1, "checksPassing")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("AwaitingYourReview")
        const reviewDraft = (yield* store.inbox({ openOnly: true })).find((item) => item.lane === "reviews")
        expect(reviewDraft?.title).toBe("Review the draft PR #1")

        yield* markPullRequestReady(workItemId)
        expect(gh.pull(1).isDraft).toBe(false)
        // Marked ready, the draft review it asked for is settled, not left in the inbox.
        const settled = (yield* store.inbox({ openOnly: false })).find((item) => item.id === reviewDraft?.id)
        expect(settled?.resolution).toBe("the draft was marked ready")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("InReview")

        setStage(gh, 1, "changesRequested")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("Implementing")
        const reviewText = (yield* told)[1]
        expect(reviewText).toContain("src/greet.ts:3 (reviewer): Please handle the empty input case.")

        fs.writeFileSync(path.join(tree.path, "greet.ts"), "export const greet = (name = 'world') => `hello ${name}`\n")
        yield* vcs.commitAll(tree.path, "handle empty input")
        yield* vcs.push(tree.path, { force: false })
        const head = git(tree.path, "rev-parse", "HEAD").trim()
        pushHead(gh, 1, head)
        gh.update((state) => {
          state.pulls[0]!.reviewDecision = "REVIEW_REQUIRED"
        })
        yield* backToReview()
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("InReview")

        setStage(gh, 1, "approved")
        yield* pipelineTick(agent)
        expect(yield* currentState).toBe("PendingMerge")
        const ask = (yield* store.inbox({ openOnly: true })).find((item) => item.lane === "approvals")
        expect(ask?.title).toBe("Merge PR #1?")
        expect(gh.calls("pr", "merge")).toHaveLength(0)
        expect(yield* tickCount(agent)).toBe(0)

        // The person confirms: merged at the head they saw, Done, worktree and branch cleaned up.
        expect(yield* confirmMerge(workItemId)).toEqual({ merged: true })
        expect(gh.pull(1)).toMatchObject({ state: "MERGED", mergedWith: "squash" })
        expect(gh.calls("pr", "merge")[0]).toContain(`--match-head-commit=${head}`)
        expect(yield* currentState).toBe("Done")
        expect(fs.existsSync(tree.path)).toBe(false)
        expect(git(fixture.repo, "branch", "--list", tree.branch).trim()).toBe("")
        expect((yield* store.worktree(workItemId)).pipe(Option.map((t) => t.removedAt !== null))).toEqual(Option.some(true))
        // Everything the pipeline asked about this work item is settled now.
        expect(yield* store.inbox({ openOnly: true })).toEqual([])
        // Done is not a review state: the pipeline leaves it alone now.
        expect(yield* tickCount(agent)).toBe(0)

        expect(yield* moves).toEqual([
          "New>Planning",
          "Planning>Implementing",
          "Implementing>PRDrafted",
          "PRDrafted>Implementing",
          "Implementing>PRDrafted",
          "PRDrafted>AwaitingYourReview",
          "AwaitingYourReview>ReadyForReview",
          "ReadyForReview>InReview",
          "InReview>Implementing",
          "Implementing>PRDrafted",
          "PRDrafted>ReadyForReview",
          "ReadyForReview>InReview",
          "InReview>PendingMerge",
          "PendingMerge>Done"
        ])
        const instructed = yield* store.events({ workItemId, types: ["AgentInstructed"] })
        expect(instructed.map((e) => (e.event._tag === "AgentInstructed" ? `${e.event.reason}#${e.event.attempt}` : ""))).toEqual([
          "ciFailed#1",
          "changesRequested#1"
        ])
        expect((yield* store.artifacts({ workItemId })).map((a) => [a.kind, a.uri])).toEqual([
          ["pullRequest", "https://github.com/acme/widgets/pull/1"]
        ])
      }),
      { git: { allow_destructive_automation: true } }
    ))
})

import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { CheckResult } from "../../../src/domain/vcsPullRequest.js"
import { noFacts } from "../../../src/domain/workflow.js"
import { openGreenPullRequest } from "../../support/sampleObservation.js"
import { decide, type DecisionInput, type Observation, pathTo, rollupChecks, sameObservation } from "../../../src/programs/prPipeline/decision.js"

const pr: Observation = openGreenPullRequest

const input = (observation: Partial<Observation>, rest: Partial<DecisionInput> = {}): DecisionInput => ({
  state: "InReview",
  observation: { ...pr, ...observation },
  ciFixAttempts: 0,
  reviewRounds: 0,
  maxCiFixAttempts: 3,
  autoMerge: false,
  ...rest
})

const check = (name: string, bucket: CheckResult["bucket"]) => new CheckResult({ name, state: "", bucket, link: "", workflow: "CI" })

describe("PR pipeline decisions", () => {
  it("rolls checks up: fail and cancel beat pending, pending beats pass, skipped alone is none", () => {
    expect(rollupChecks([check("a", "pass"), check("b", "cancel"), check("c", "pending")])).toEqual({
      checks: "fail",
      failing: [{ name: "b", link: null }]
    })
    expect(rollupChecks([check("a", "pass"), check("c", "pending")]).checks).toBe("pending")
    expect(rollupChecks([check("a", "pass"), check("s", "skipping")]).checks).toBe("pass")
    expect(rollupChecks([check("s", "skipping")]).checks).toBe("none")
    expect(rollupChecks([]).checks).toBe("none")
  })

  it("finds the shortest chain of allowed moves, honouring guards", () => {
    const facts = { ...noFacts, hasPullRequest: true }
    expect(pathTo("PRDrafted", "InReview", facts)).toEqual(Option.some(["ReadyForReview", "InReview"]))
    expect(pathTo("PendingMerge", "Implementing", facts)).toEqual(Option.some(["InReview", "Implementing"]))
    expect(pathTo("InReview", "InReview", facts)).toEqual(Option.some([]))
    // Done needs a merged pull request.
    expect(pathTo("InReview", "Done", facts)).toEqual(Option.none())
    expect(pathTo("InReview", "Done", { ...facts, pullRequestMerged: true })).toEqual(Option.some(["Done"]))
    expect(pathTo("Done", "InReview", facts)).toEqual(Option.none())
  })

  it("an observation differing only in a failing check's link is a new one", () => {
    const failing = { ...pr, checks: "fail" as const, failingChecks: [{ name: "t", link: "x" }] }
    expect(sameObservation(failing, { ...failing })).toBe(true)
    expect(sameObservation(failing, { ...failing, failingChecks: [{ name: "t", link: "y" }] })).toBe(false)
    expect(sameObservation(pr, { ...pr, headSha: "b".repeat(40) })).toBe(false)
  })

  it("decides per PR state", () => {
    expect(decide(input({ state: "MERGED" }, { state: "PendingMerge" }))).toEqual({
      moves: [{ from: "PendingMerge", to: "Done", reason: "the pull request was merged on GitHub" }],
      actions: [{ _tag: "Cleanup" }]
    })
    expect(decide(input({ state: "CLOSED" }, { state: "PRDrafted" })).moves.map((m) => m.to)).toEqual(["Abandoned"])
    const approved = decide(input({ reviewDecision: "APPROVED" }, { state: "ReadyForReview" }))
    expect(approved.moves.map((m) => m.to)).toEqual(["PendingMerge"])
    expect(approved.actions).toEqual([{ _tag: "AskMerge" }])
    expect(decide(input({ reviewDecision: "APPROVED" }, { autoMerge: true })).actions).toEqual([{ _tag: "Merge" }])
    // Approved but still pending is not green.
    expect(decide(input({ reviewDecision: "APPROVED", checks: "pending" }))).toEqual({ moves: [], actions: [] })
    const regressed = decide(input({ checks: "pending" }, { state: "PendingMerge" }))
    expect(regressed.moves).toEqual([{ from: "PendingMerge", to: "InReview", reason: "no longer approved and green" }])
  })

  it("with no review required (empty reviewDecision) a green PR merges; a required review still waits for APPROVED", () => {
    const open = decide(input({ reviewDecision: "", checks: "pass" }, { autoMerge: true }))
    expect(open.moves).toEqual([{ from: "InReview", to: "PendingMerge", reason: "green, and no review is required" }])
    expect(open.actions).toEqual([{ _tag: "Merge" }])
    // No checks at all is green too; without auto_merge the person is asked.
    expect(decide(input({ reviewDecision: "", checks: "none" }, { state: "ReadyForReview" })).actions).toEqual([{ _tag: "AskMerge" }])
    expect(decide(input({ reviewDecision: "", checks: "pending" }, { autoMerge: true }))).toEqual({ moves: [], actions: [] })
    expect(decide(input({ reviewDecision: "REVIEW_REQUIRED" }, { autoMerge: true }))).toEqual({ moves: [], actions: [] })
    expect(decide(input({ reviewDecision: "CHANGES_REQUESTED" }, { autoMerge: true })).actions).toEqual([{ _tag: "SendReviewComments", attempt: 1 }])
  })

  it("failing checks take precedence over a review, and the retry bound holds", () => {
    const failing = { checks: "fail" as const, failingChecks: [{ name: "lint", link: null }], reviewDecision: "CHANGES_REQUESTED" }
    const first = decide(input(failing))
    expect(first.moves.map((m) => m.to)).toEqual(["Implementing"])
    expect(first.actions[0]).toMatchObject({ _tag: "InstructCiFix", attempt: 1 })
    const exhausted = decide(input(failing, { ciFixAttempts: 3, state: "PendingMerge" }))
    expect(exhausted.moves.map((m) => m.to)).toEqual(["InReview"])
    expect(exhausted.actions[0]).toMatchObject({ _tag: "Inbox", lane: "decide" })
  })

  it("a draft asks the person only once its checks pass", () => {
    expect(decide(input({ isDraft: true, checks: "none", reviewDecision: "" }, { state: "PRDrafted" }))).toEqual({ moves: [], actions: [] })
    const green = decide(input({ isDraft: true, checks: "pass", reviewDecision: "" }, { state: "PRDrafted" }))
    expect(green.moves.map((m) => m.to)).toEqual(["AwaitingYourReview"])
    expect(green.actions[0]).toMatchObject({ _tag: "Inbox", lane: "reviews" })
  })
})

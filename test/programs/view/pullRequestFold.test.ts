import { describe, expect, it } from "@effect/vitest"
import { ArtifactCreated, PullRequestObserved } from "../../../src/domain/events.js"
import { ArtifactId, WorkItemId } from "../../../src/domain/ids.js"
import { applyWorkEvents } from "../../../src/programs/view/listFold.js"
import { emptySidePanel, emptyViewModel, type ViewModel } from "../../../src/programs/view/viewModel.js"

const workItemId = WorkItemId.make("wi-1")

const focusedOn = (id: string): ViewModel => ({
  ...emptyViewModel(100, []),
  focused: { sessionId: "s1", workItemId: id, label: "S1", state: "Running", workflowState: null, turnActive: false, blocks: [], pending: [], side: emptySidePanel }
})

const observed = (number: number, patch: Partial<ConstructorParameters<typeof PullRequestObserved>[0]> = {}) =>
  new PullRequestObserved({
    workItemId,
    number,
    url: `https://example.test/pr/${number}`,
    state: "OPEN",
    isDraft: false,
    reviewDecision: "",
    checks: "none",
    failingChecks: [],
    headSha: null,
    ...patch
  })

const opened = (number: number) =>
  new ArtifactCreated({ artifactId: ArtifactId.make(`wi-1:pr:${number}`), workItemId, sessionId: null, kind: "pullRequest", title: `PR #${number}`, uri: `https://example.test/pr/${number}` })

const pullRequestAfter = (events: Parameters<typeof applyWorkEvents>[1], vm = focusedOn("wi-1")) => applyWorkEvents(vm, events).focused?.side.pullRequest

describe("pull request fold", () => {
  it("the newest observation decides state, checks and review, whatever came before", () => {
    expect(pullRequestAfter([opened(1), observed(1, { isDraft: true, checks: "fail", failingChecks: [{ name: "lint", link: null }] }), observed(1, { state: "MERGED", checks: "pass", reviewDecision: "APPROVED" })])).toEqual({
      _tag: "Observed",
      number: 1,
      url: "https://example.test/pr/1",
      state: "merged",
      checks: "pass",
      failingChecks: [],
      review: "approved"
    })
    expect(pullRequestAfter([observed(1, { state: "MERGED" }), observed(1, { state: "CLOSED" })])).toMatchObject({ state: "closed" })
    expect(pullRequestAfter([observed(1, { isDraft: true })])).toMatchObject({ state: "draft" })
    expect(pullRequestAfter([observed(1, { reviewDecision: "CHANGES_REQUESTED" })])).toMatchObject({ state: "open", review: "changesRequested" })
    expect(pullRequestAfter([observed(1, { reviewDecision: "REVIEW_REQUIRED" }), observed(1, { reviewDecision: "" })])).toMatchObject({ review: null })
  })

  it("the opened link shows until observed; it never hides a newer observation of the same pull request, but a new pull request's link replaces an old one's", () => {
    expect(pullRequestAfter([opened(1)])).toEqual({ _tag: "Link", url: "https://example.test/pr/1" })
    expect(pullRequestAfter([observed(1, { state: "MERGED" }), opened(1)])).toMatchObject({ _tag: "Observed", state: "merged" })
    expect(pullRequestAfter([observed(1, { state: "CLOSED" }), opened(2)])).toEqual({ _tag: "Link", url: "https://example.test/pr/2" })
  })

  it("records of another work item, or with nothing focused, leave the model as it was", () => {
    const other = focusedOn("wi-2")
    expect(applyWorkEvents(other, [opened(1), observed(1)])).toBe(other)
    const none = emptyViewModel(100, [])
    expect(applyWorkEvents(none, [opened(1), observed(1)])).toBe(none)
  })
})

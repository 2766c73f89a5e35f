import { Either, Option } from "effect"
import type { InboxLane } from "../../domain/events.js"
import type { CheckResult } from "../../domain/vcsPullRequest.js"
import { transition, type TransitionFacts, transitionTable, type WorkflowState } from "../../domain/workflow.js"

/**
 * The PR pipeline's decisions, pure: from what GitHub says about a pull request and where the
 * work item stands, which workflow moves to make and what to do. Effects live in pipeline.ts.
 */

export type ChecksRollup = "pass" | "fail" | "pending" | "none"

export interface FailingCheck {
  readonly name: string
  readonly link: string | null
}

/** The facts one poll reads; the same fields as the PullRequestObserved event. */
export interface Observation {
  readonly number: number
  readonly url: string
  readonly state: "OPEN" | "CLOSED" | "MERGED"
  readonly isDraft: boolean
  readonly reviewDecision: string
  readonly checks: ChecksRollup
  readonly failingChecks: ReadonlyArray<FailingCheck>
  readonly headSha: string | null
}

/** The key prefix of the inbox item that asks the person to review a green draft. */
export const REVIEW_DRAFT_KEY = "review-draft:"

export const reviewStates: ReadonlyArray<WorkflowState> = ["PRDrafted", "AwaitingYourReview", "ReadyForReview", "InReview", "PendingMerge"]

export const isReviewState = (state: WorkflowState): boolean => reviewStates.includes(state)

/** A failed or cancelled check fails the rollup; any pending one keeps it pending. */
export const rollupChecks = (checks: ReadonlyArray<CheckResult>): { checks: ChecksRollup; failing: ReadonlyArray<FailingCheck> } => {
  const failing = checks
    .filter((check) => check.bucket === "fail" || check.bucket === "cancel")
    .map((check) => ({ name: check.name, link: check.link === "" ? null : check.link }))
  if (failing.length > 0) return { checks: "fail", failing }
  if (checks.some((check) => check.bucket === "pending")) return { checks: "pending", failing: [] }
  return { checks: checks.some((check) => check.bucket === "pass") ? "pass" : "none", failing: [] }
}

export const sameObservation = (a: Observation, b: Observation): boolean =>
  a.number === b.number &&
  a.url === b.url &&
  a.state === b.state &&
  a.isDraft === b.isDraft &&
  a.reviewDecision === b.reviewDecision &&
  a.checks === b.checks &&
  a.headSha === b.headSha &&
  a.failingChecks.length === b.failingChecks.length &&
  a.failingChecks.every((check, index) => check.name === b.failingChecks[index]?.name && check.link === b.failingChecks[index]?.link)

export interface Move {
  readonly from: WorkflowState
  readonly to: WorkflowState
  readonly reason: string
}

export type Action =
  | { readonly _tag: "InstructCiFix"; readonly attempt: number; readonly text: string }
  | { readonly _tag: "SendReviewComments"; readonly attempt: number }
  | {
      readonly _tag: "Inbox"
      readonly key: string
      readonly lane: InboxLane
      readonly urgency: number
      readonly title: string
      readonly body: string
    }
  /** Merge now (auto_merge) or ask the person first. */
  | { readonly _tag: "Merge" }
  | { readonly _tag: "AskMerge" }
  | { readonly _tag: "Cleanup" }

export interface Decision {
  readonly moves: ReadonlyArray<Move>
  readonly actions: ReadonlyArray<Action>
}

export interface DecisionInput {
  readonly state: WorkflowState
  readonly observation: Observation
  readonly ciFixAttempts: number
  readonly reviewRounds: number
  readonly maxCiFixAttempts: number
  readonly autoMerge: boolean
}

/**
 * The shortest chain of allowed moves from `from` to `to`, each checked by `transition` with
 * the facts of this pull request. Empty when already there; none when no chain exists.
 */
export const pathTo = (from: WorkflowState, to: WorkflowState, facts: TransitionFacts): Option.Option<ReadonlyArray<WorkflowState>> => {
  if (from === to) return Option.some([])
  const seen = new Set<WorkflowState>([from])
  let frontier: ReadonlyArray<ReadonlyArray<WorkflowState>> = [[from]]
  while (frontier.length > 0) {
    const next: Array<ReadonlyArray<WorkflowState>> = []
    for (const path of frontier) {
      const last = path[path.length - 1] ?? from
      for (const rule of transitionTable) {
        if (rule.from !== last || seen.has(rule.to) || Either.isLeft(transition(last, rule.to, facts))) continue
        if (rule.to === to) return Option.some([...path.slice(1), to])
        seen.add(rule.to)
        next.push([...path, rule.to])
      }
    }
    frontier = next
  }
  return Option.none()
}

/** What the transition guards may take as given once a pull request has been observed. */
export const observationFacts = (observation: Observation): TransitionFacts => ({
  hasWorktree: true,
  hasSession: true,
  hasPullRequest: true,
  pullRequestMerged: observation.state === "MERGED"
})

const movesTo = (from: WorkflowState, to: WorkflowState, observation: Observation, reason: string): ReadonlyArray<Move> => {
  const steps = Option.getOrElse(pathTo(from, to, observationFacts(observation)), (): ReadonlyArray<WorkflowState> => [])
  return steps.map((step, index) => ({ from: index === 0 ? from : (steps[index - 1] ?? from), to: step, reason }))
}

export const ciFixText = (observation: Observation, attempt: number, max: number): string =>
  [
    `CI failed on pull request #${observation.number} (${observation.url}), fix attempt ${attempt} of ${max}.`,
    "Failing checks:",
    ...observation.failingChecks.map((check) => `- ${check.name}${check.link === null ? "" : `: ${check.link}`}`),
    "Find the cause, fix it, commit and push. Do not weaken or skip the checks."
  ].join("\n")

/**
 * Whether review allows a merge: approved, or no review required at all (GitHub's empty
 * `reviewDecision`, a branch without protection). REVIEW_REQUIRED and CHANGES_REQUESTED wait.
 */
export const reviewSatisfied = (reviewDecision: string): boolean => reviewDecision === "APPROVED" || reviewDecision === ""

export const decide = (input: DecisionInput): Decision => {
  const { observation: pr, state } = input
  const to = (target: WorkflowState, reason: string) => movesTo(state, target, pr, reason)

  if (pr.state === "MERGED") {
    return { moves: to("Done", "the pull request was merged on GitHub"), actions: [{ _tag: "Cleanup" }] }
  }
  if (pr.state === "CLOSED") {
    return { moves: to("Abandoned", "the pull request was closed without merging"), actions: [] }
  }
  if (pr.checks === "fail") {
    const names = pr.failingChecks.map((check) => check.name).join(", ")
    if (input.ciFixAttempts >= input.maxCiFixAttempts) {
      return {
        moves: state === "PendingMerge" ? to("InReview", `checks failing: ${names}`) : [],
        actions: [
          {
            _tag: "Inbox",
            key: `ci-exhausted:${pr.headSha ?? "none"}`,
            lane: "decide",
            urgency: 80,
            title: `CI still failing on PR #${pr.number} after ${input.ciFixAttempts} fix attempts`,
            body: `Failing checks: ${names}. The agent was asked ${input.ciFixAttempts} times; decide how to go on. ${pr.url}`
          }
        ]
      }
    }
    const attempt = input.ciFixAttempts + 1
    return {
      moves: to("Implementing", `CI failed: ${names}`),
      actions: [{ _tag: "InstructCiFix", attempt, text: ciFixText(pr, attempt, input.maxCiFixAttempts) }]
    }
  }
  if (pr.reviewDecision === "CHANGES_REQUESTED") {
    return {
      moves: to("Implementing", "changes requested in review"),
      actions: [{ _tag: "SendReviewComments", attempt: input.reviewRounds + 1 }]
    }
  }
  if (pr.isDraft) {
    // A fresh draft has no checks yet: wait for CI to pass before asking the person.
    if (state !== "PRDrafted" || pr.checks !== "pass") return { moves: [], actions: [] }
    return {
      moves: to("AwaitingYourReview", "the draft is green and waits for your review"),
      actions: [
        {
          _tag: "Inbox",
          key: `${REVIEW_DRAFT_KEY}${pr.headSha ?? "none"}`,
          lane: "reviews",
          urgency: 50,
          title: `Review the draft PR #${pr.number}`,
          body: `Checks: ${pr.checks}. Mark it ready when it looks right: ${pr.url}`
        }
      ]
    }
  }
  const green = pr.checks === "pass" || pr.checks === "none"
  if (reviewSatisfied(pr.reviewDecision) && green) {
    const moves = to("PendingMerge", pr.reviewDecision === "APPROVED" ? "approved and green" : "green, and no review is required")
    return { moves, actions: [input.autoMerge ? { _tag: "Merge" } : { _tag: "AskMerge" }] }
  }
  const reason = state === "PendingMerge" ? "no longer approved and green" : "ready for review"
  return { moves: to("InReview", reason), actions: [] }
}

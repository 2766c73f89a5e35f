import { Either, Schema } from "effect"
import { ForbiddenTransition } from "./errors.js"

export const WorkflowState = Schema.Literal(
  "New",
  "Planning",
  "Implementing",
  "PRDrafted",
  "AwaitingYourReview",
  "ReadyForReview",
  "InReview",
  "PendingMerge",
  "Done",
  "Abandoned"
)
export type WorkflowState = typeof WorkflowState.Type

export const workflowStates: ReadonlyArray<WorkflowState> = WorkflowState.literals

export const isTerminalWorkflowState = (state: WorkflowState): boolean => state === "Done" || state === "Abandoned"

/** What a guard can look at: facts about the work item at the moment of the move. */
export interface TransitionFacts {
  readonly hasWorktree: boolean
  readonly hasSession: boolean
  readonly hasPullRequest: boolean
  readonly pullRequestMerged: boolean
}

export const noFacts: TransitionFacts = {
  hasWorktree: false,
  hasSession: false,
  hasPullRequest: false,
  pullRequestMerged: false
}

export type Guard = "none" | "needsSession" | "needsPullRequest" | "needsMergedPullRequest"

export interface TransitionRule {
  readonly from: WorkflowState
  readonly to: WorkflowState
  readonly guard: Guard
  readonly why: string
}

const rule = (from: WorkflowState, to: WorkflowState, guard: Guard, why: string): TransitionRule => ({
  from,
  to,
  guard,
  why
})

const forward: ReadonlyArray<TransitionRule> = [
  rule("New", "Planning", "needsSession", "the agent starts planning"),
  rule("Planning", "Implementing", "needsSession", "the plan is accepted"),
  rule("Implementing", "PRDrafted", "needsPullRequest", "a draft pull request was opened"),
  rule("PRDrafted", "AwaitingYourReview", "needsPullRequest", "the draft waits for the person's review"),
  rule("PRDrafted", "ReadyForReview", "needsPullRequest", "the draft was marked ready"),
  rule("AwaitingYourReview", "ReadyForReview", "needsPullRequest", "the person approved the draft"),
  rule("ReadyForReview", "InReview", "needsPullRequest", "reviewers are looking at it"),
  rule("ReadyForReview", "PendingMerge", "needsPullRequest", "approved and green"),
  rule("InReview", "PendingMerge", "needsPullRequest", "approved and green"),
  rule("PendingMerge", "Done", "needsMergedPullRequest", "the pull request was merged"),
  // A pull request merged outside orchestrator finishes the work from any review state.
  rule("PRDrafted", "Done", "needsMergedPullRequest", "the pull request was merged"),
  rule("AwaitingYourReview", "Done", "needsMergedPullRequest", "the pull request was merged"),
  rule("ReadyForReview", "Done", "needsMergedPullRequest", "the pull request was merged"),
  rule("InReview", "Done", "needsMergedPullRequest", "the pull request was merged")
]

const backward: ReadonlyArray<TransitionRule> = [
  rule("AwaitingYourReview", "Implementing", "none", "changes requested, CI failed or the person resumed"),
  rule("PRDrafted", "Implementing", "none", "changes requested, CI failed or the person resumed"),
  rule("ReadyForReview", "Implementing", "none", "changes requested, CI failed or the person resumed"),
  rule("InReview", "Implementing", "none", "changes requested, CI failed or the person resumed"),
  rule("PendingMerge", "InReview", "none", "the merge failed")
]

const abandon: ReadonlyArray<TransitionRule> = workflowStates
  .filter((state) => !isTerminalWorkflowState(state))
  .map((state) => rule(state, "Abandoned", "none", "abandoned"))

/** The whole table: every allowed move and its guard. Anything not listed is forbidden. */
export const transitionTable: ReadonlyArray<TransitionRule> = [...forward, ...backward, ...abandon]

export const findRule = (from: WorkflowState, to: WorkflowState): TransitionRule | undefined =>
  transitionTable.find((r) => r.from === from && r.to === to)

const guardHolds = (guard: Guard, facts: TransitionFacts): string | undefined => {
  switch (guard) {
    case "none":
      return undefined
    case "needsSession":
      return facts.hasSession ? undefined : "it needs an agent session"
    case "needsPullRequest":
      return facts.hasPullRequest ? undefined : "it needs a pull request"
    case "needsMergedPullRequest":
      return facts.pullRequestMerged ? undefined : "it needs a merged pull request"
  }
}

/** Pure: the target state when the move is allowed and its guard holds, a typed error otherwise. */
export const transition = (
  from: WorkflowState,
  to: WorkflowState,
  facts: TransitionFacts
): Either.Either<WorkflowState, ForbiddenTransition> => {
  const found = findRule(from, to)
  if (found === undefined) {
    return Either.left(new ForbiddenTransition({ from, to, reason: "no such move in the workflow" }))
  }
  const failed = guardHolds(found.guard, facts)
  return failed === undefined ? Either.right(to) : Either.left(new ForbiddenTransition({ from, to, reason: failed }))
}

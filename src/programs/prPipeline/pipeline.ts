import { Effect, Option } from "effect"
import type { DomainEvent } from "../../domain/events.js"
import type { SessionId, WorkItemId } from "../../domain/ids.js"
import { pullRequestNumberFromUrl } from "../../domain/vcsPullRequest.js"
import { reviewCommentsText } from "../../domain/vcsPullRequestText.js"
import { isTerminalWorkflowState } from "../../domain/workflow.js"
import type { WorkItem } from "../../domain/workItem.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { decideAndRecord } from "../workflow/writer.js"
import { type Action, decide, type Observation, observationFacts, reviewStates, rollupChecks, sameObservation } from "./decision.js"
import type { ItemFailures } from "./itemFailures.js"
import { cleanupEvents, mergePullRequest, mergeRequestId } from "./merge.js"
import { pullRequestArtifact } from "./open.js"
import { inboxEvent, instructionCounts, lastObservation, observedEvent, supersededInboxItems } from "./records.js"

/** Why the pipeline instructs the agent, and which try this is: what the AgentInstructed event records. */
export interface PipelineInstruction {
  readonly reason: "ciFailed" | "changesRequested"
  readonly attempt: number
}

/**
 * How the pipeline talks to a work item's agent (the worker runtime implements it). It delivers
 * the text AND records the AgentInstructed event with the given reason and attempt (as
 * SessionRuntime.instruct does), which is what bounds the retries; it answers the session that
 * took the instruction, or none when no live session can.
 */
export interface AgentChannel {
  readonly instruct: (workItemId: WorkItemId, text: string, instruction: PipelineInstruction) => Effect.Effect<Option.Option<SessionId>>
}

export type ItemOutcome = "unchanged" | "updated" | "noPullRequest" | "failed"

const outcome = (value: ItemOutcome): ItemOutcome => value

export interface TickSummary {
  readonly checked: number
  readonly updated: number
  readonly failed: number
}

/** The pull request of a work item: its recorded number, else the open one for its branch. */
const pullRequestNumber = (item: WorkItem) =>
  Effect.gen(function* () {
    if (item.pullRequestNumber !== null) return Option.some(item.pullRequestNumber)
    const fromUrl = Option.flatMap(Option.fromNullable(item.pullRequestUrl), pullRequestNumberFromUrl)
    if (Option.isSome(fromUrl)) return fromUrl
    const tree = yield* (yield* EventStore).worktree(item.id)
    if (Option.isNone(tree)) return Option.none<number>()
    const found = yield* (yield* RepoHost).findByHead(item.repoPath, tree.value.branch)
    return Option.map(found, (pr) => pr.number)
  })

const observe = (item: WorkItem, number: number) =>
  Effect.gen(function* () {
    const host = yield* RepoHost
    const [view, checks] = yield* Effect.all([host.view(item.repoPath, number), host.checks(item.repoPath, number)], {
      concurrency: 2
    })
    const rollup = rollupChecks(checks)
    return {
      number: view.number,
      url: view.url,
      state: view.state,
      isDraft: view.isDraft,
      reviewDecision: view.reviewDecision,
      checks: rollup.checks,
      failingChecks: rollup.failing,
      headSha: view.headRefOid === "" ? null : view.headRefOid
    } satisfies Observation
  })

/** Sends an instruction; without a live session it goes to the person's inbox instead. */
const instruct = (agent: AgentChannel, item: WorkItem, pr: Observation, instruction: PipelineInstruction, text: string) =>
  Effect.map(agent.instruct(item.id, text, instruction), (session): ReadonlyArray<DomainEvent> =>
    Option.isSome(session)
      ? []
      : [
          inboxEvent(item.id, {
            key: `no-agent:${instruction.reason}:${pr.headSha ?? "none"}`,
            lane: "decide",
            urgency: 60,
            title: `No agent session to handle PR #${pr.number}`,
            body: text
          })
        ]
  )

/** What an action records by itself: inbox items go into the same transaction as the moves. */
const recordedWithMoves = (item: WorkItem, pr: Observation, action: Action, mergeStrategy: string): ReadonlyArray<DomainEvent> => {
  switch (action._tag) {
    case "Inbox":
      return [inboxEvent(item.id, action)]
    case "AskMerge":
      return [
        inboxEvent(
          item.id,
          {
            key: `merge:${pr.headSha ?? "none"}`,
            lane: "approvals",
            urgency: 60,
            title: `Merge PR #${pr.number}?`,
            body: `Approved and green. Confirm to merge (${mergeStrategy}): ${pr.url}`
          },
          mergeRequestId(pr)
        )
      ]
    default:
      return []
  }
}

const nothing: ReadonlyArray<DomainEvent> = []

/** The actions that reach outside (the agent, GitHub, git): done once, after the moves are recorded. */
const performAfter = (agent: AgentChannel, item: WorkItem, pr: Observation, action: Action) =>
  Effect.gen(function* () {
    switch (action._tag) {
      case "InstructCiFix":
        return yield* instruct(agent, item, pr, { reason: "ciFailed", attempt: action.attempt }, action.text)
      case "SendReviewComments": {
        const comments = yield* (yield* RepoHost).reviewComments(item.repoPath, pr.number)
        const text = reviewCommentsText(pr.number, pr.url, comments, action.attempt)
        return yield* instruct(agent, item, pr, { reason: "changesRequested", attempt: action.attempt }, text)
      }
      case "Merge": {
        // Records its own move (Done or back to InReview) and cleans up.
        yield* mergePullRequest(item.id, Effect.succeed(pr), false)
        return nothing
      }
      case "Cleanup":
        return yield* cleanupEvents(item.id, pr.headSha)
      case "Inbox":
      case "AskMerge":
        return nothing
    }
  })

/**
 * One work item: read GitHub, then decide from the item's state and record the observation, the
 * moves and the inbox items together through the workflow writer (decided again if the item moved
 * meanwhile); then act on the agent, GitHub and git, and record what that produced. Idempotent.
 */
export const processWorkItem = (agent: AgentChannel, item: WorkItem) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const config = yield* AppConfig
    const number = yield* pullRequestNumber(item)
    if (Option.isNone(number)) return outcome("noPullRequest")
    const pr = yield* observe(item, number.value)
    const previous = yield* lastObservation(item.id)
    if (Option.isSome(previous) && sameObservation(previous.value, pr)) return outcome("unchanged")
    const recorded = yield* decideAndRecord(item.id, (current) =>
      Effect.gen(function* () {
        // Finished while GitHub was read (a merge ran meanwhile): what was read is older than the finish.
        if (isTerminalWorkflowState(current.state)) return { moves: [], facts: observationFacts(pr), events: [], value: noActions }
        const counts = yield* instructionCounts(current.id)
        const decision = decide({
          state: current.state,
          observation: pr,
          ciFixAttempts: counts.ciFixAttempts,
          reviewRounds: counts.reviewRounds,
          maxCiFixAttempts: config.settings.runtime.max_ci_fix_attempts,
          autoMerge: config.settings.github.auto_merge
        })
        const events = [
          observedEvent(current.id, pr),
          ...(yield* pullRequestArtifact(current.id, pr)),
          ...decision.actions.flatMap((action) => recordedWithMoves(current, pr, action, config.settings.github.merge_strategy))
        ]
        const after = decision.moves[decision.moves.length - 1]?.to ?? current.state
        return {
          moves: decision.moves,
          facts: observationFacts(pr),
          events: [...events, ...(yield* supersededInboxItems(current.id, events, after))],
          value: decision.actions
        }
      })
    )
    const current = { ...recorded.decidedFrom, state: recorded.state }
    const acted = (yield* Effect.forEach(recorded.value, (action) => performAfter(agent, current, pr, action))).flat()
    // Merge asks were settled with the moves; a merge records its own outcome (merge.ts).
    yield* store.append(acted)
    return outcome("updated")
  })

const noActions: ReadonlyArray<Action> = []

const MAX_CONCURRENT_ITEMS = 4

/** Every work item in a review state; one item's failure does not stop the others. */
export const prPipelineTick = (agent: AgentChannel, failures: ItemFailures) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const inReview = yield* store.workItemsIn(reviewStates)
    // An item whose polls keep failing waits out its backoff (itemFailures.ts).
    const items = yield* Effect.filter(inReview, (item) => failures.due(item.id))
    const outcomes = yield* Effect.forEach(
      items,
      (item) =>
        processWorkItem(agent, item).pipe(
          Effect.tap(() => failures.succeeded(item.id)),
          Effect.catchAll((error) => Effect.as(Effect.ignore(failures.failed(item.id, error.message)), outcome("failed")))
        ),
      // Items are independent; a few at once keeps a poll short without flooding GitHub.
      { concurrency: MAX_CONCURRENT_ITEMS }
    )
    return {
      checked: items.length,
      updated: outcomes.filter((outcome) => outcome === "updated").length,
      failed: outcomes.filter((outcome) => outcome === "failed").length
    } satisfies TickSummary
  })

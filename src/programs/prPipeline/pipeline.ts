import { Duration, Effect, Option, Schedule } from "effect"
import { ArtifactCreated, type DomainEvent } from "../../domain/events.js"
import { ArtifactId, type SessionId, type WorkItemId } from "../../domain/ids.js"
import { pullRequestNumberFromUrl } from "../../domain/vcsPullRequest.js"
import { reviewCommentsText } from "../../domain/vcsPullRequestText.js"
import type { WorkItem } from "../../domain/workItem.js"
import { AppConfig } from "../../services/AppConfig.js"
import { EventStore } from "../../services/EventStore.js"
import { RepoHost } from "../../services/RepoHost.js"
import { type Action, decide, isReviewState, type Observation, rollupChecks, sameObservation } from "./decision.js"
import { cleanupEvents, mergeEvents, mergeRequestId } from "./merge.js"
import {
  inboxEvent,
  instructionCounts,
  lastObservation,
  moveEvents,
  observedEvent,
  supersededInboxItems
} from "./records.js"

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

const perform = (agent: AgentChannel, item: WorkItem, pr: Observation, action: Action) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    switch (action._tag) {
      case "InstructCiFix":
        return yield* instruct(agent, item, pr, { reason: "ciFailed", attempt: action.attempt }, action.text)
      case "SendReviewComments": {
        const comments = yield* (yield* RepoHost).reviewComments(item.repoPath, pr.number)
        const text = reviewCommentsText(pr.number, pr.url, comments, action.attempt)
        return yield* instruct(agent, item, pr, { reason: "changesRequested", attempt: action.attempt }, text)
      }
      case "Inbox":
        return [inboxEvent(item.id, action)]
      case "Merge":
        return yield* mergeEvents({ ...item, state: "PendingMerge" }, pr)
      case "AskMerge":
        return [
          inboxEvent(
            item.id,
            {
              key: `merge:${pr.headSha ?? "none"}`,
              lane: "approvals",
              urgency: 60,
              title: `Merge PR #${pr.number}?`,
              body: `Approved and green. Confirm to merge (${config.settings.github.merge_strategy}): ${pr.url}`
            },
            mergeRequestId(pr)
          )
        ]
      case "Cleanup":
        return yield* cleanupEvents(item.id, pr.headSha)
    }
  })

/** One work item: read GitHub, decide, act, record it all in one append. Idempotent. */
export const processWorkItem = (agent: AgentChannel, item: WorkItem) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const config = yield* AppConfig
    const number = yield* pullRequestNumber(item)
    if (Option.isNone(number)) return outcome("noPullRequest")
    const pr = yield* observe(item, number.value)
    const previous = yield* lastObservation(item.id)
    if (Option.isSome(previous) && sameObservation(previous.value, pr)) return outcome("unchanged")
    const counts = yield* instructionCounts(item.id)
    const decision = decide({
      state: item.state,
      observation: pr,
      ciFixAttempts: counts.ciFixAttempts,
      reviewRounds: counts.reviewRounds,
      maxCiFixAttempts: config.settings.runtime.max_ci_fix_attempts,
      autoMerge: config.settings.github.auto_merge
    })
    const artifactId = ArtifactId.make(`${item.id}:pr:${pr.number}`)
    const known = (yield* store.artifacts({ workItemId: item.id })).some((artifact) => artifact.id === artifactId)
    const artifact = known
      ? []
      : [new ArtifactCreated({ artifactId, workItemId: item.id, sessionId: null, kind: "pullRequest", title: `PR #${pr.number}`, uri: pr.url })]
    const acted = yield* Effect.forEach(decision.actions, (action) => perform(agent, item, pr, action))
    const events = [observedEvent(item.id, pr), ...artifact, ...moveEvents(item.id, decision.moves), ...acted.flat()]
    yield* store.append([...events, ...(yield* supersededInboxItems(item.id, events))])
    return outcome("updated")
  })

const MAX_CONCURRENT_ITEMS = 4

/** Every work item in a review state; one item's failure does not stop the others. */
export const prPipelineTick = (agent: AgentChannel) =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const items = (yield* store.workItems).filter((item) => isReviewState(item.state))
    const outcomes = yield* Effect.forEach(
      items,
      (item) =>
        processWorkItem(agent, item).pipe(
          Effect.catchAll((error) =>
            Effect.as(Effect.logWarning(`PR pipeline: work item ${item.id}: ${error.message}`), outcome("failed"))
          )
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

/** Polls every `pr_pipeline_poll_interval_secs` until interrupted; `onTick` sees each summary. */
export const runPrPipeline = (agent: AgentChannel, onTick: (summary: TickSummary) => Effect.Effect<void> = () => Effect.void) =>
  Effect.gen(function* () {
    const config = yield* AppConfig
    const interval = Duration.seconds(config.settings.runtime.pr_pipeline_poll_interval_secs)
    return yield* prPipelineTick(agent).pipe(
      Effect.flatMap(onTick),
      Effect.catchAll((error) => Effect.logWarning(`PR pipeline: ${error.message}`)),
      Effect.repeat(Schedule.spaced(interval)),
      Effect.asVoid
    )
  })
